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
