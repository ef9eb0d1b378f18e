package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SwitchTest {
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = GatewayFixture.blueGreen("drainTimeout: 5s");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void switchSendsNewRequestsOnKeepAliveConnectionToGreen() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop").text()).isEqualTo("blue\n");
            assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);
            RawClient.Response after = c.get("/", "shop"); // same connection, opened before the switch
            assertThat(after.text()).isEqualTo("green\n");
            assertThat(after.header("connection")).isNull();
        }
    }

    @Test
    void rollbackIsTheSameCallAndTakesEffectForTheNextRequest() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            f.switchTo("shop", "green");
            assertThat(c.get("/", "shop").text()).isEqualTo("green\n");
            HttpResponse<String> back = f.switchTo("shop", "blue");
            assertThat(back.statusCode()).isEqualTo(200);
            assertThat(back.body()).contains("\"from\":\"green\"", "\"to\":\"blue\"", "\"switches\":2");
            assertThat(c.get("/", "shop").text()).isEqualTo("blue\n");
        }
    }

    /**
     * The product's central promise, over many switches: no failed request, and no request that started after a
     * switch answer reached the old color, on keep-alive connections that were opened before the switches. A request
     * may get the color of the last switch answered before it started, or of a later switch sent before it ended
     * (it was in flight while that switch happened); anything else is a violation.
     */
    @Test
    void switchUnderConcurrentKeepAliveLoadFailsNothingAndSendsNothingLateToTheOldColor() throws Exception {
        int clients = 16;
        int switches = 30;
        record Switch(long sentAt, long answeredAt, String to) {
        }
        record Sample(long startedAt, long endedAt, String color, int status) {
        }
        List<Switch> done = new CopyOnWriteArrayList<>();
        List<List<Sample>> samples = new ArrayList<>();
        AtomicLong completed = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        long hardStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpRequest req = HttpRequest.newBuilder(f.url("/")).timeout(Duration.ofSeconds(10)).build();
        for (int i = 0; i < clients; i++) {
            List<Sample> mine = new ArrayList<>();
            samples.add(mine);
            pool.execute(() -> {
                for (int n = 0; n < 50_000 && running.get() && System.nanoTime() < hardStop; n++) {
                    long t = System.nanoTime();
                    try {
                        HttpResponse<String> r = f.http().send(req, HttpResponse.BodyHandlers.ofString());
                        mine.add(new Sample(t, System.nanoTime(), r.body().trim(), r.statusCode()));
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        mine.add(new Sample(t, System.nanoTime(), "error", 0));
                    }
                    completed.incrementAndGet();
                }
            });
        }
        String color = "blue";
        for (int s = 0; s < switches; s++) {
            long before = completed.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> completed.get() >= before + 100);
            color = color.equals("blue") ? "green" : "blue";
            long sent = System.nanoTime();
            HttpResponse<String> r = f.switchTo("shop", color);
            done.add(new Switch(sent, System.nanoTime(), color));
            assertThat(r.statusCode()).isEqualTo(200);
        }
        long last = completed.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> completed.get() >= last + 100);
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        long total = 0;
        long late = 0;
        long afterSomeSwitch = 0;
        for (List<Sample> mine : samples) {
            for (Sample x : mine) {
                total++;
                int k = -1;
                for (int j = 0; j < done.size(); j++) {
                    if (done.get(j).answeredAt() < x.startedAt()) {
                        k = j;
                    }
                }
                if (k >= 0) {
                    afterSomeSwitch++;
                }
                boolean allowed = x.color().equals(k < 0 ? "blue" : done.get(k).to());
                for (int j = k + 1; j < done.size() && !allowed; j++) {
                    allowed = done.get(j).sentAt() < x.endedAt() && done.get(j).to().equals(x.color());
                }
                if (x.status() == 200 && !allowed) {
                    late++;
                }
            }
        }
        assertThat(total).isGreaterThan(switches * 100L);
        assertThat(afterSomeSwitch).as("requests that started after a switch answer").isGreaterThan(switches * 50L);
        assertThat(failures.get()).as("failed requests").isZero();
        assertThat(late).as("requests started after a switch answer that reached the old color").isZero();
        // upstream connections are pooled: each switch closes the old color's idle ones (by design), so the number
        // opened grows with switches times concurrency, not with requests
        long connections = f.backend("blue").connectionsOpened() + f.backend("green").connectionsOpened();
        assertThat(connections).isLessThanOrEqualTo((switches + 1L) * clients * 2);
    }

    @Test
    void slowInFlightRequestOnOldColorCompletesAfterSwitch() throws Exception {
        var held = f.http().sendAsync(HttpRequest.newBuilder(f.url("/hold")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
        assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);
        assertThat(f.get("/").body()).isEqualTo("green\n");
        assertThat(held).as("still in flight on blue after the switch").isNotDone();
        assertThat(f.adminGet("/status").body()).contains("\"drain\":{");
        f.backend("blue").releaseHeld();
        HttpResponse<String> r = held.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("blue\n");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(f.adminGet("/status").body()).contains("\"result\":\"drained\"", "\"drain\":null"));
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_cutovers_total{from=\"blue\",result=\"drained\",service=\"shop\",to=\"green\",} 1.0");
    }

    /** Switching back while the old color still drains ends that drain as superseded, and it is counted so. */
    @Test
    void switchingBackWhileTheOldColorDrainsCountsTheDrainAsSuperseded() throws Exception {
        var held = f.http().sendAsync(HttpRequest.newBuilder(f.url("/hold")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
        assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);
        assertThat(f.switchTo("shop", "blue").statusCode()).isEqualTo(200);
        assertThat(held).isNotDone();
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_cutovers_total{from=\"blue\",result=\"superseded\",service=\"shop\",to=\"green\",} 1.0");
        f.backend("blue").releaseHeld();
        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("blue\n");
        assertThat(f.get("/").body()).isEqualTo("blue\n");
    }

    @Test
    void idleUpstreamConnectionsOfTheOldColorCloseAtTheSwitch() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(f.get("/").body()).isEqualTo("blue\n");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() >= 1);
        f.switchTo("shop", "green");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() == 0);
        assertThat(f.get("/").body()).isEqualTo("green\n");
    }

    @Test
    void busyOldConnectionClosesWhenItsRequestEnds() throws Exception {
        var held = f.http().sendAsync(HttpRequest.newBuilder(f.url("/hold")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
        assertThat(f.backend("blue").openConnections()).isEqualTo(1);
        f.switchTo("shop", "green");
        assertThat(f.get("/").body()).isEqualTo("green\n");
        assertThat(f.backend("blue").openConnections()).as("busy: kept until its answer").isEqualTo(1);
        f.backend("blue").releaseHeld();
        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("blue\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() == 0);
    }
}
