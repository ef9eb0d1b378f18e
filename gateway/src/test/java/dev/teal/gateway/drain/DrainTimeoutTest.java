package dev.teal.gateway.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrainTimeoutTest {
    private static final Duration DRAIN_TIMEOUT = Duration.ofMillis(1500);
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = GatewayFixture.blueGreen("drainTimeout: " + DRAIN_TIMEOUT.toMillis() + "ms");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void drainTimeoutClosesWhatIsLeftAndCountsIt() throws Exception {
        // held by the backend until the test releases it: still in flight when the drain timeout comes
        var slow = f.http().sendAsync(HttpRequest.newBuilder(f.url("/hold")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
        f.switchTo("shop", "green");
        String status = await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/status").body(),
                s -> s.contains("\"result\":\"drain_timeout\""));
        assertThat(status).contains("\"closed\":1", "\"drain\":null");
        // the leftover request was cut: the client sees 502 (nothing of the response had started)
        HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).doesNotContain("Exception", "127.0.0.1");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() == 0);
        f.backend("blue").releaseHeld(); // its answer now goes nowhere
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_cutovers_total{from=\"blue\",result=\"drain_timeout\",service=\"shop\",to=\"green\",} 1.0");
    }

    @Test
    void webSocketStaysOnItsColorUntilTheDrainTimeoutClosesIt() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<String> closed = new CompletableFuture<>(); // how the client saw the end
        java.util.concurrent.atomic.AtomicLong closedAt = new java.util.concurrent.atomic.AtomicLong();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                received.add(data.toString());
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closedAt.compareAndSet(0, System.nanoTime());
                closed.complete("close " + statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closedAt.compareAndSet(0, System.nanoTime());
                closed.complete("error " + error.getClass().getSimpleName());
            }
        };
        WebSocket ws = f.http().newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + f.gateway().proxyPort() + "/ws"), listener)
                .get(5, TimeUnit.SECONDS);
        ws.sendText("one", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("blue:one");

        long switchSent = System.nanoTime();
        assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);
        assertThat(f.get("/").body()).isEqualTo("green\n");
        ws.sendText("two", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("blue:two"); // still on the color it started on

        assertThat(closed).as("open until the drain timeout").isNotDone();

        // the drain timeout closes the upgraded connection (no close frame from blue: the gateway cuts it) and counts it
        String end = closed.get(10, TimeUnit.SECONDS);
        long closedAfter = closedAt.get() - switchSent;
        assertThat(end).as("ended by the gateway, not by a close handshake with blue").isIn("close 1006", "error IOException");
        assertThat(Duration.ofNanos(closedAfter)).as("not before the drain timeout").isGreaterThanOrEqualTo(DRAIN_TIMEOUT);
        String status = await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/status").body(),
                s -> s.contains("\"result\":\"drain_timeout\""));
        assertThat(status).contains("\"closed\":1");
    }
}
