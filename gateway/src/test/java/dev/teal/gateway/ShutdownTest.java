package dev.teal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShutdownTest {

    @Test
    void gracefulShutdownTurnsUnreadyFinishesInFlightRequestsAndClosesKeepAlive() throws Exception {
        try (GatewayFixture f = new GatewayFixture()) {
            f.backend("blue", "blue");
            f.start("""
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    shutdown: {preStopDelay: 300ms, timeout: 10s}
                    services:
                      shop:
                        active: blue
                        colors:
                          blue: [${blue}]
                    """);
            Gateway g = f.gateway();
            int adminPort = g.adminPort();
            // held by the backend until the test releases it: in flight for the whole shutdown
            var slow = f.http().sendAsync(HttpRequest.newBuilder(f.url("/hold")).build(),
                    HttpResponse.BodyHandlers.ofString());
            try (RawClient idle = new RawClient(g.proxyPort())) {
                assertThat(idle.get("/", "shop").text()).isEqualTo("blue\n");
                await().atMost(Duration.ofSeconds(5)).until(() -> g.router().current().service("shop").serving().inflight() == 1);
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(g::shutdown);
                await().atMost(Duration.ofSeconds(2)).until(() -> !g.isReady());
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).isEqualTo(503);
                // the idle keep-alive connection is closed once the pre-stop delay has passed
                assertThat(idle.isClosedByPeer(5000)).isTrue();
                assertThat(stopping).as("waits for the request in flight").isNotDone();
                assertThat(slow).isNotDone();
                f.backend("blue").releaseHeld();
                HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("connection")).hasValue("close");
                stopping.get(15, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The real process and a real SIGTERM ({@code Process.destroy}): readiness turns false and new connections are
     * still served during {@code shutdown.preStopDelay}; after it new connections are refused; a request still
     * running at {@code shutdown.timeout} is cut and counted in the log; the process exits 0.
     */
    @Test
    void sigtermServesDuringThePreStopDelayRefusesAfterItAndCutsWhatOutlivesTheTimeout(@TempDir Path dir)
            throws Exception {
        try (DemoBackend blue = DemoBackend.start("blue", 0)) {
            Path cfg = dir.resolve("teal.yaml");
            Files.writeString(cfg, """
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    shutdown: {preStopDelay: 3s, timeout: 1s}
                    services:
                      shop:
                        active: blue
                        colors:
                          blue: [%s]
                    """.formatted(blue.address()));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path log = dir.resolve("out.log");
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "dev.teal.gateway.Main", "--config", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("gateway started"));
                String started = Files.readString(log);
                int proxyPort = port(started, "listen");
                int adminPort = port(started, "admin");
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                var held = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/hold"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                await().atMost(Duration.ofSeconds(5)).until(() -> blue.heldRequests() == 1);

                p.destroy(); // SIGTERM
                await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(log).contains("shutdown started"));
                assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/readyz"))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
                try (RawClient during = new RawClient(proxyPort)) {
                    assertThat(during.get("/", "shop").text()).as("a new connection during the pre-stop delay")
                            .isEqualTo("blue\n");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> refused(proxyPort));

                // the timeout (1s after the delay) cuts the held request: the client gets no answer
                assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.io.IOException.class);
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
                String out = Files.readString(log);
                assertThat(out).contains("shutdown complete").doesNotContain("\tat ");
                assertThat(out.lines().filter(l -> l.contains("shutdown timeout: closing what is left")))
                        .singleElement().asString().containsPattern("connections=\"?1\\b");
            } finally {
                p.destroyForcibly();
                blue.releaseHeld();
            }
        }
    }

    private static int port(String log, String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(key + "=\"?127\\.0\\.0\\.1:(\\d+)").matcher(log);
        assertThat(m.find()).as("%s in %s", key, log).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static boolean refused(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void invalidConfigFileExitsWithACleanOneLineError(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "services: {shop: {active: purple, colors: {blue: []}}}");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("out.log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.teal.gateway.Main", "--config", cfg.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue(); // bounded: the output is read after
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("cannot start: invalid configuration", "not one of the colors")
                .doesNotContain("\tat ");
        assertThat(out.lines().filter(l -> l.contains("level=ERROR")).count()).isEqualTo(1);
        assertThat(new File(cfg.toString())).exists();
    }
}
