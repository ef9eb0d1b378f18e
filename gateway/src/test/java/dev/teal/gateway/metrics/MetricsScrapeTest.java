package dev.teal.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real exposition, checked by the real Prometheus tool ({@code promtool}, Debian package {@code prometheus}). */
class MetricsScrapeTest {
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        // every optional series on, so that promtool sees all of them
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                metrics: {endpointSeries: true, connectionSeries: true, fineLatencyBuckets: true}
                services:
                  shop:
                    active: blue
                    colors:
                      blue:  [${blue}]
                      green: [${green}]
                """);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    static String promtool() {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin", "/bin"}) {
            File p = new File(dir, "promtool");
            if (p.canExecute()) {
                return p.getPath();
            }
        }
        throw new AssertionError("promtool is missing: apt-get install prometheus (bin/test does this)");
    }

    @Test
    void scrapeHasTheContractMetricsAndPassesPromtool() throws Exception {
        for (int i = 0; i < 5; i++) {
            f.get("/");
        }
        f.get("/status/503");
        f.switchTo("shop", "green");
        f.get("/");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/metrics").body()
                .contains("teal_cutovers_total{from=\"blue\",result=\"drained\",service=\"shop\",to=\"green\",} 1.0"));
        var r = f.adminGet("/metrics");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String text = r.body();
        assertThat(text)
                .contains("teal_requests_seconds_bucket{color=\"blue\",service=\"shop\",status=\"2xx\",le=\"0.005\",}")
                .contains("teal_requests_seconds_count{color=\"blue\",service=\"shop\",status=\"5xx\",} 1.0")
                .contains("teal_requests_seconds_count{color=\"green\",service=\"shop\",status=\"2xx\",} 1.0")
                .contains("teal_inflight_requests{color=\"blue\",service=\"shop\",} 0.0")
                .contains("teal_serving_color{color=\"green\",service=\"shop\",} 1.0")
                .contains("teal_serving_color{color=\"blue\",service=\"shop\",} 0.0")
                .contains("teal_cutover_drain_seconds_count{service=\"shop\",} 1.0")
                .contains("teal_upstream_connections{color=\"green\",service=\"shop\",state=\"idle\",}")
                .contains("teal_upstream_connections{color=\"blue\",service=\"shop\",state=\"active\",}")
                .contains("teal_upstream_health{color=\"blue\",endpoint=\"" + f.backend("blue").address()
                        + "\",service=\"shop\",} 1.0")
                .contains("teal_requests_seconds_max{color=\"green\",service=\"shop\",status=\"2xx\",}")
                .contains("jvm_memory_used_bytes")
                .contains("netty_eventexecutor_tasks_pending");

        Process p = new ProcessBuilder(promtool(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("promtool check metrics output").doesNotContain("error");
        assertThat(p.exitValue()).as("promtool exit code; output: %s", out).isZero();
    }
}
