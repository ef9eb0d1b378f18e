package dev.teal.bench.target;

import dev.teal.bench.process.ManagedProcess;
import dev.teal.bench.process.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The Teal gateway jar as its own process, started with {@link #JVM_FLAGS} and {@code workers: 1} (it is pinned to
 * one core), inside {@code bash -c 'ulimit -n ...; exec java ...'} so that it may hold many client connections.
 * Switches through the admin API.
 */
public final class TealTarget implements Target {
    /** The JVM flags the bench runs the gateway with; the README recommends the same. */
    public static final List<String> JVM_FLAGS = List.of(
            "-Xms128m", "-Xmx128m", "-XX:+UseParallelGC", "-XX:+AlwaysPreTouch", "-XX:+PerfDisableSharedMem");
    public static final String SERVICE = "bench";

    private final ManagedProcess process;
    private final InetSocketAddress address;
    private final InetSocketAddress admin;
    private final InetSocketAddress tlsAddress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TealTarget(ManagedProcess process, InetSocketAddress address, InetSocketAddress admin,
                       InetSocketAddress tlsAddress) {
        this.process = process;
        this.address = address;
        this.admin = admin;
        this.tlsAddress = tlsAddress;
    }

    /** Gateway settings a scenario may change. */
    public record Options(Duration drainTimeout, Duration clientIdle, List<String> extraJvmFlags, String guard) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(30), Duration.ofSeconds(300), List.of(),
                null);

        public Options withDrainTimeout(Duration d) {
            return new Options(d, clientIdle, extraJvmFlags, guard);
        }

        public Options withExtraJvmFlags(List<String> flags) {
            return new Options(drainTimeout, clientIdle, flags, guard);
        }

        /** The service's {@code guard:} (the guard syntax; no quotes or newlines), or null for none. */
        public Options withGuard(String g) {
            if (g != null && !g.matches("[A-Za-z0-9 .,<=%-]+")) {
                throw new IllegalArgumentException("not a guard: " + g);
            }
            return new Options(drainTimeout, clientIdle, extraJvmFlags, g);
        }
    }

    /** A gateway with these options (the {@code guard} scenario's: a guard on the service). */
    public static TealTarget start(Path dir, Upstreams upstreams, Path gatewayJar, int cpu, Options options)
            throws IOException, InterruptedException {
        return start(dir, upstreams, options, gatewayJar, cpu, "", null);
    }

    static TealTarget start(Path dir, Upstreams upstreams, Options options, Path gatewayJar, int cpu)
            throws IOException, InterruptedException {
        return start(dir, upstreams, options, gatewayJar, cpu, "", null);
    }

    /**
     * A gateway that also terminates TLS ({@code tls:} with {@code tls} as the default certificate) on
     * {@link #tlsAddress()}, where ALPN offers h2 and http/1.1.
     */
    public static TealTarget startTls(Path dir, Upstreams upstreams, Path gatewayJar, int cpu, TlsFiles tls)
            throws IOException, InterruptedException {
        InetSocketAddress tlsAddress = new InetSocketAddress("127.0.0.1", Ports.free());
        String section = """
                tls:
                  listen: %s:%d
                  default:
                    cert: %s
                    key: %s
                """.formatted(tlsAddress.getHostString(), tlsAddress.getPort(), tls.cert(), tls.key());
        return start(dir, upstreams, Options.DEFAULT, gatewayJar, cpu, section, tlsAddress);
    }

    /**
     * A gateway whose service is reached through {@code hosts × pathsPerHost} routes ({@code compare}'s routing cell):
     * host {@code h<i>.bench.local}, on each host {@code pathsPerHost - 1} decoy paths (Exact and Prefix, under
     * {@code /d<j>}) and {@code /} (Prefix). Every route goes to the one service, so only matching differs.
     */
    public static TealTarget startWithRoutes(Path dir, Upstreams upstreams, Path gatewayJar, int cpu, int hosts,
                                             int pathsPerHost) throws IOException, InterruptedException {
        StringBuilder routes = new StringBuilder("routes:\n");
        for (int h = 0; h < hosts; h++) {
            for (int p = 0; p < pathsPerHost - 1; p++) {
                routes.append("  - {host: ").append(routeHost(h)).append(", path: /d").append(p).append("/x")
                        .append(", pathType: ").append(p % 2 == 0 ? "Exact" : "Prefix").append(", service: ")
                        .append(SERVICE).append("}\n");
            }
            routes.append("  - {host: ").append(routeHost(h)).append(", path: /, pathType: Prefix, service: ")
                    .append(SERVICE).append("}\n");
        }
        return start(dir, upstreams, Options.DEFAULT, gatewayJar, cpu, routes.toString(), null);
    }

    /** The host of route set {@code i} of {@link #startWithRoutes}. */
    public static String routeHost(int i) {
        return "h" + i + ".bench.local";
    }

    private static TealTarget start(Path dir, Upstreams upstreams, Options options, Path gatewayJar, int cpu,
                                    String routes, InetSocketAddress tlsAddress)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(gatewayJar)) {
            throw new IOException("gateway jar not found at " + gatewayJar
                    + "; build it: mvn -B -q -pl gateway -am package -DskipTests (or pass --gateway-jar)");
        }
        Files.createDirectories(dir);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Ports.free());
        InetSocketAddress admin = new InetSocketAddress("127.0.0.1", Ports.free());
        String colors = upstreams.colors().entrySet().stream()
                .map(e -> "      " + e.getKey() + ": [" + e.getValue().stream()
                        .map(a -> a.getHostString() + ":" + a.getPort()).collect(Collectors.joining(", ")) + "]")
                .sorted()
                .collect(Collectors.joining("\n"));
        String yaml = """
                listen: %s:%d
                admin: %s:%d
                workers: 1
                accessLog: false
                timeouts:
                  clientIdle: %ds
                  upstreamIdle: 300s
                services:
                  %s:
                    active: %s
                    drainTimeout: %dms
                %s    colors:
                %s
                """.formatted(address.getHostString(), address.getPort(), admin.getHostString(), admin.getPort(),
                options.clientIdle().toSeconds(), SERVICE, upstreams.active(), options.drainTimeout().toMillis(),
                options.guard() == null ? "" : "    guard: \"" + options.guard() + "\"\n", colors)
                + routes;
        Path config = dir.resolve("teal.yaml");
        Files.writeString(config, yaml);
        StringBuilder java = new StringBuilder("exec ");
        if (cpu >= 0) {
            java.append("taskset -c ").append(cpu).append(' ');
        }
        java.append(Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String f : JVM_FLAGS) {
            java.append(' ').append(f);
        }
        for (String f : options.extraJvmFlags()) {
            java.append(' ').append(f);
        }
        java.append(" -jar ").append(gatewayJar.toAbsolutePath()).append(" --config ").append(config);
        // raise the soft fd limit as far as the hard limit allows (65536 where permitted)
        String script = "ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); " + java;
        ManagedProcess p = ManagedProcess.start("teal", List.of("bash", "-c", script), -1, dir);
        TealTarget t = new TealTarget(p, address, admin, tlsAddress);
        try {
            t.awaitReady(Duration.ofSeconds(60));
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return t;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (get("/readyz").statusCode() == 200) {
                    Ports.awaitListening(address, Duration.ofSeconds(5), process);
                    if (tlsAddress != null) {
                        Ports.awaitListening(tlsAddress, Duration.ofSeconds(5), process);
                    }
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IOException("gateway exited during start:\n" + process.logTail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("gateway not ready after " + timeout + ":\n" + process.logTail(30));
            }
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(adminUri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI adminUri(String path) {
        return URI.create("http://" + admin.getHostString() + ":" + admin.getPort() + path);
    }

    @Override
    public String name() {
        return "teal";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** The TLS listener of {@link #startTls}, or null. */
    public InetSocketAddress tlsAddress() {
        return tlsAddress;
    }

    @Override
    public void switchTo(String color) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(adminUri("/services/" + SERVICE + "/switch?to=" + color))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("switch to " + color + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** {@code GET /status} body. */
    public String status() throws IOException, InterruptedException {
        return get("/status").body();
    }

    /** {@code GET /metrics} body. */
    public String metrics() throws IOException, InterruptedException {
        return get("/metrics").body();
    }

    /** The sum of {@code jvm_memory_used_bytes{area="heap"}} series, or -1 if the gateway does not export it. */
    public long heapUsedBytes() throws IOException, InterruptedException {
        double sum = 0;
        boolean found = false;
        for (String line : metrics().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? (long) sum : -1;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    public Path log() {
        return process.logFile();
    }

    @Override
    public void close() {
        process.close();
    }
}
