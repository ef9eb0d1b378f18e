package dev.teal.bench.target;

import dev.teal.bench.process.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Starts a target by name. */
public final class Targets {
    public static final List<String> ALL = List.of("direct", "ceiling", "teal", "nginx", "haproxy");
    /** Targets without colors to switch: they take part in {@code compare} only. */
    public static final List<String> NO_SWITCH = List.of("direct", "ceiling");

    private Targets() {}

    /** What the targets need beyond their upstreams. */
    public record Settings(Path gatewayJar, TealTarget.Options teal, int nginxKeepalive) {
        public Settings withTeal(TealTarget.Options options) {
            return new Settings(gatewayJar, options, nginxKeepalive);
        }
    }

    public static Target start(String name, Path workDir, Upstreams upstreams, Settings settings, int cpu)
            throws IOException, InterruptedException {
        Path dir = workDir.resolve(name);
        return switch (name) {
            case "direct" -> new DirectTarget(upstreams);
            case "ceiling" -> CeilingTarget.start(dir, upstreams, cpu);
            case "nginx" -> NginxTarget.start(dir, upstreams, settings.nginxKeepalive(), cpu);
            case "haproxy" -> HaproxyTarget.start(dir, upstreams, cpu);
            case "teal" -> TealTarget.start(dir, upstreams, settings.teal(), settings.gatewayJar(), cpu);
            default -> throw new IllegalArgumentException("unknown target " + name + "; one of " + ALL);
        };
    }

    /** Targets of the {@code tls} scenario: each terminates TLS (ALPN h2 and http/1.1) in front of one backend. */
    public static final List<String> TLS = List.of("teal", "nginx", "haproxy");

    /**
     * Starts {@code name} (one of {@link #TLS}) terminating TLS with {@code tls}; the target's {@link Target#address()}
     * is its TLS listener.
     */
    public static Target startTls(String name, Path workDir, Upstreams upstreams, Settings settings, int cpu,
                                  TlsFiles tls) throws IOException, InterruptedException {
        Path dir = workDir.resolve(name + "-tls");
        return switch (name) {
            case "nginx" -> NginxTarget.startTls(dir, upstreams, settings.nginxKeepalive(), cpu, tls);
            case "haproxy" -> HaproxyTarget.startTls(dir, upstreams, cpu, tls);
            case "teal" -> new TlsListener(TealTarget.startTls(dir, upstreams, settings.gatewayJar(), cpu, tls));
            default -> throw new IllegalArgumentException("target " + name + " has no TLS setup; one of " + TLS);
        };
    }

    /** A Teal gateway seen through its TLS listener. */
    public record TlsListener(TealTarget teal) implements Target {
        @Override
        public String name() {
            return teal.name();
        }

        @Override
        public java.net.InetSocketAddress address() {
            return teal.tlsAddress();
        }

        @Override
        public void switchTo(String color) throws Exception {
            teal.switchTo(color);
        }

        @Override
        public long pid() {
            return teal.pid();
        }

        @Override
        public void close() {
            teal.close();
        }
    }

    /** Fails before anything starts when a target's program is missing. */
    public static void checkInstalled(List<String> names) {
        for (String n : names) {
            if (n.equals("nginx") || n.equals("haproxy")) {
                Tools.require(n);
            }
        }
    }

    /**
     * The gateway jar: {@code explicit} if given, else {@code gateway/target/teal-gateway.jar} in the working directory
     * or its parent (tests run in {@code bench/}).
     */
    public static Path gatewayJar(String explicit) {
        if (explicit != null) {
            return Path.of(explicit);
        }
        for (String candidate : List.of("gateway/target/teal-gateway.jar", "../gateway/target/teal-gateway.jar")) {
            Path p = Path.of(candidate).toAbsolutePath().normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return Path.of("gateway/target/teal-gateway.jar").toAbsolutePath();
    }
}
