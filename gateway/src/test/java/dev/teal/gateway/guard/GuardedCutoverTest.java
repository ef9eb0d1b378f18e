package dev.teal.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.teal.contract.ConfigException;
import dev.teal.contract.status.ServiceStatus;
import dev.teal.contract.status.StatusJson;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.testing.GatewayFixture;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Standalone guarded cutovers under load through real sockets: a green that answers errors or is slow is rolled back
 * by the gateway itself; a healthy green stays; too little traffic is reported as not judged.
 */
class GuardedCutoverTest {
    private GatewayFixture f;
    private Load load;

    @AfterEach
    void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (f != null) {
            f.close();
        }
    }

    @Test
    void greenAnsweringFivePercentErrorsIsRolledBackToBlue() throws Exception {
        f = GatewayFixture.blueGreen("guard: \"errors<1%, window=5s, bake=60s, min-requests=100\"");
        f.backend("green").setFaults(5, 0);
        load = new Load(f, 4);
        load.awaitRequests(50);
        assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> "rolled_back".equals(guardState()));
        ServiceStatus s = status();
        assertThat(s.serving()).isEqualTo("blue");
        assertThat(s.source()).isEqualTo("guard");
        assertThat(s.guard().from()).isEqualTo("blue");
        assertThat(s.guard().to()).isEqualTo("green");
        assertThat(s.guard().breach()).matches("errors \\d+\\.\\d\\d% >= 1\\.00%");
        assertThat(s.guard().figures()).startsWith("requests=");
        assertThat(s.guard().decidedAt()).isNotNull();
        assertThat(s.color("green").window().requests()).isGreaterThanOrEqualTo(100);
        assertThat(s.color("green").window().errors()).isPositive();
        assertThat(s.color("green").window().latency()).isNotEmpty();
        String metrics = f.adminGet("/metrics").body();
        assertThat(metrics).contains("teal_cutovers_total{from=\"blue\",result=\"rolled_back\",service=\"shop\","
                + "to=\"green\",} 1.0");
        // new requests go to blue again
        assertThat(f.get("/").body()).isEqualTo("blue\n");
        long blueBefore = f.backend("blue").requests();
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").requests() > blueBefore + 20);
    }

    @Test
    void slowGreenBreachesTheLatencyLimitAndIsRolledBack() throws Exception {
        f = GatewayFixture.blueGreen("guard: {p99: 100ms, window: 5s, bake: 60s, minRequests: 20}");
        f.backend("green").setFaults(0, 250);
        load = new Load(f, 8);
        load.awaitRequests(50);
        f.switchTo("shop", "green");

        await().atMost(Duration.ofSeconds(20)).until(() -> "rolled_back".equals(guardState()));
        ServiceStatus s = status();
        assertThat(s.serving()).isEqualTo("blue");
        // green answers after 250 ms, so its p99 falls in the 300 ms bucket or, on a loaded machine, a higher one
        java.util.regex.Matcher breach = java.util.regex.Pattern.compile("p99 (\\d+)ms >= 100ms")
                .matcher(s.guard().breach());
        assertThat(breach.matches()).as(s.guard().breach()).isTrue();
        assertThat(Integer.parseInt(breach.group(1))).isGreaterThanOrEqualTo(300);
        assertThat(s.guard().guard()).isEqualTo("p99<100ms, window=5s, bake=60s, min-requests=20");
    }

    @Test
    void healthyGreenPassesTheBakeAndKeepsServing() throws Exception {
        f = GatewayFixture.blueGreen("guard: \"errors<1%, p99<1s, window=2s, bake=3s, min-requests=20\"");
        load = new Load(f, 4);
        load.awaitRequests(50);
        f.switchTo("shop", "green");
        assertThat(guardState()).isEqualTo("baking");

        await().atMost(Duration.ofSeconds(15)).until(() -> "passed".equals(guardState()));
        ServiceStatus s = status();
        assertThat(s.serving()).isEqualTo("green");
        assertThat(s.guard().figures()).contains("errors=0 (0.00%)");
        assertThat(f.adminGet("/metrics").body()).doesNotContain("rolled_back\"");
        assertThat(load.failures()).isZero();
    }

    @Test
    void tooLittleTrafficIsReportedAsNotJudgedNeverAsPassed() throws Exception {
        f = GatewayFixture.blueGreen("guard: \"errors<1%, window=2s, bake=2s, min-requests=1000\"");
        f.backend("green").setFaults(100, 0); // every request fails, but there are too few to judge
        f.switchTo("shop", "green");
        for (int i = 0; i < 5; i++) {
            assertThat(f.get("/").statusCode()).isEqualTo(500);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> "not_judged".equals(guardState()));
        ServiceStatus s = status();
        assertThat(s.serving()).isEqualTo("green");
        assertThat(s.guard().figures()).startsWith("requests=");
        assertThat(s.guard().breach()).isNull();
    }

    @Test
    void aServiceWithoutAGuardShowsNoWindowInStatus() throws Exception {
        f = GatewayFixture.blueGreen("");
        f.get("/");
        String body = f.adminGet("/status").body();
        assertThat(body).doesNotContain("\"window\"", "\"guard\"");
    }

    @Test
    void aBadGuardInTheFileIsRejectedWithItsPath() {
        assertThatThrownBy(() -> ConfigParser.parse("""
                services:
                  shop:
                    active: blue
                    guard: "errors<1%, p99<500ms, windw=30s"
                    colors:
                      blue: [127.0.0.1:1]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("services.shop.guard: 'windw=30s': unknown key 'windw'");
        assertThatThrownBy(() -> ConfigParser.parse("""
                services:
                  shop:
                    active: blue
                    guard: {errors: 1%, p98: 1s}
                    colors:
                      blue: [127.0.0.1:1]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("services.shop.guard.p98: unknown key");
    }

    private ServiceStatus status() throws Exception {
        return StatusJson.read(f.adminGet("/status").body()).service("shop");
    }

    private String guardState() throws Exception {
        ServiceStatus s = status();
        return s.guard() == null ? null : s.guard().state();
    }

    /** Closed-loop load on the default service from a few threads, bounded to one minute. */
    static final class Load implements AutoCloseable {
        private final ExecutorService pool;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong requests = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private final ConcurrentHashMap<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();

        Load(GatewayFixture f, int threads) {
            pool = Executors.newFixedThreadPool(threads);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            HttpClient http = f.http();
            for (int i = 0; i < threads; i++) {
                pool.execute(() -> {
                    while (!stop.get() && System.nanoTime() < deadline) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(f.url("/"))
                                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                            byStatus.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                            if (r.statusCode() >= 500) {
                                failures.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        requests.incrementAndGet();
                    }
                });
            }
        }

        void awaitRequests(long n) {
            await().atMost(Duration.ofSeconds(10)).until(() -> requests.get() >= n);
        }

        long failures() {
            return failures.get();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
