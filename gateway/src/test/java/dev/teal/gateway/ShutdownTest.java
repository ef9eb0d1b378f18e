package dev.teal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
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
            var slow = f.http().sendAsync(HttpRequest.newBuilder(f.url("/slow?ms=1500")).build(),
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
                HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("connection")).hasValue("close");
                stopping.get(15, TimeUnit.SECONDS);
            }
        }
    }

    /** The real process: SIGTERM (Process.destroy) ends it gracefully with exit code 0. */
    @Test
    void processExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        try (DemoBackend blue = DemoBackend.start("blue", 0)) {
            Path cfg = dir.resolve("teal.yaml");
            Files.writeString(cfg, """
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
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
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
                assertThat(Files.readString(log)).contains("shutdown started", "shutdown complete");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void invalidConfigFileExitsWithACleanOneLineError(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "services: {shop: {active: purple, colors: {blue: []}}}");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.teal.gateway.Main", "--config", cfg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).contains("cannot start: invalid configuration", "not one of the colors")
                .doesNotContain("\tat ");
        assertThat(out.lines().filter(l -> l.contains("level=ERROR")).count()).isEqualTo(1);
        assertThat(new File(cfg.toString())).exists();
    }
}
