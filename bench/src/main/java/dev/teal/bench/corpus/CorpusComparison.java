package dev.teal.bench.corpus;

import dev.teal.gateway.hardening.Corpus;
import dev.teal.gateway.hardening.CorpusRunner;
import dev.teal.gateway.hardening.CountingBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The corpus comparison. Usage: {@code CorpusComparison [--gateway-jar gateway/target/teal-gateway.jar]
 * [--out corpus-comparison.md]}. Needs {@code nginx} and {@code haproxy} on the PATH (Debian packages). Each proxy
 * is set up like Teal's corpus test: one service, a 1 KiB body limit, a 2 s upstream timeout; everything else is
 * each proxy's default. Exit status 0 when Teal answered every entry as the corpus says.
 */
public final class CorpusComparison {
    private static final Duration SETTLE = Duration.ofMillis(150);

    private CorpusComparison() {
    }

    /** One proxy under test: a child process in front of its own counting backend. */
    private record Proxy(String name, int port, CountingBackend backend, Process process) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            backend.close();
        }
    }

    public static void main(String[] args) throws Exception {
        String jar = "gateway/target/teal-gateway.jar";
        Path out = Path.of("corpus-comparison.md");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--gateway-jar" -> jar = args[i + 1];
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("teal-corpus");
        List<Proxy> proxies = new ArrayList<>();
        boolean tealAsExpected = true;
        try {
            proxies.add(teal(dir, jar));
            proxies.add(nginx(dir));
            proxies.add(haproxy(dir));
            StringBuilder table = new StringBuilder(
                    "| input or fault | Teal | nginx 1.22 | HAProxy 2.6 |\n|---|---|---|---|\n");
            for (Corpus.Entry e : Corpus.load()) {
                List<String> cells = new ArrayList<>();
                for (Proxy p : proxies) {
                    CorpusRunner.Outcome o = new CorpusRunner(p.port(), p.backend(), SETTLE).run(e);
                    cells.add(o.describe());
                    if (p.name().equals("teal") && !o.matches(e)) {
                        tealAsExpected = false;
                        cells.set(0, o.describe() + " (corpus says " + expected(e) + ")");
                    }
                }
                table.append("| ").append(e.kind() == Corpus.Kind.RESPONSE ? "upstream: " : "").append(e.name())
                        .append(" | ").append(String.join(" | ", cells)).append(" |\n");
            }
            table.append("\nEach cell: the status the client got (\"no answer\" when the connection ended without"
                    + " one), whether the proxy then closed the client connection, and \"fwd\" when the backend"
                    + " received bytes of the request.\n");
            Files.writeString(out, table);
            System.out.print(table);
        } finally {
            for (Proxy p : proxies) {
                p.close();
            }
        }
        System.exit(tealAsExpected ? 0 : 1);
    }

    private static String expected(Corpus.Entry e) {
        return new CorpusRunner.Outcome(e.status(), e.closed(), e.forwarded()).describe();
    }

    private static Proxy teal(Path dir, String jar) throws Exception {
        CountingBackend backend = CountingBackend.start();
        int port = freePort();
        Path cfg = dir.resolve("teal.yaml");
        Files.writeString(cfg, Corpus.gatewayYaml("127.0.0.1:" + port, "127.0.0.1:" + freePort(), backend.address()));
        Process p = start(dir, "teal", "java", "-jar", jar, "--config", cfg.toString());
        return ready(new Proxy("teal", port, backend, p));
    }

    private static Proxy nginx(Path dir) throws Exception {
        CountingBackend backend = CountingBackend.start();
        int port = freePort();
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Files.createDirectories(prefix.resolve("logs"));
        Files.writeString(prefix.resolve("nginx.conf"), """
                worker_processes 1;
                error_log %1$s/logs/error.log;
                pid %1$s/nginx.pid;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  client_max_body_size 1k;
                  upstream backend { server %2$s; keepalive 8; }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://backend;
                      proxy_http_version 1.1;
                      proxy_set_header Connection "";
                      proxy_read_timeout 2s;
                    }
                  }
                }
                """.formatted(prefix, backend.address(), port));
        Process p = start(dir, "nginx", "nginx", "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(),
                "-g", "daemon off;");
        return ready(new Proxy("nginx", port, backend, p));
    }

    private static Proxy haproxy(Path dir) throws Exception {
        CountingBackend backend = CountingBackend.start();
        int port = freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, """
                global
                  maxconn 1000
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 10s
                  timeout server 2s
                frontend fe
                  bind 127.0.0.1:%d
                  http-request deny deny_status 413 if { req.hdr_val(content-length) gt 1024 }
                  default_backend be
                backend be
                  server s1 %s
                """.formatted(port, backend.address()));
        Process p = start(dir, "haproxy", "haproxy", "-f", cfg.toString(), "-db");
        return ready(new Proxy("haproxy", port, backend, p));
    }

    private static Process start(Path dir, String name, String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
    }

    /** Waits (at most 20 s) until the proxy accepts connections. */
    private static Proxy ready(Proxy p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.process().isAlive()) {
                throw new IllegalStateException(p.name() + " exited with " + p.process().exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", p.port()), 200);
                return p;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        p.close();
        throw new IllegalStateException(p.name() + " did not start listening on " + p.port());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
