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
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = GatewayFixture.blueGreen("drainTimeout: 700ms");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void drainTimeoutClosesWhatIsLeftAndCountsIt() throws Exception {
        var slow = f.http().sendAsync(HttpRequest.newBuilder(f.url("/slow?ms=20000")).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() == 1);
        f.switchTo("shop", "green");
        String status = await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/status").body(),
                s -> s.contains("\"result\":\"drain_timeout\""));
        assertThat(status).contains("\"closed\":1", "\"drain\":null");
        // the leftover request was cut: the client sees 502 (nothing of the response had started)
        HttpResponse<String> r = slow.get(10, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).doesNotContain("Exception", "127.0.0.1");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() == 0);
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_cutovers_total{from=\"blue\",result=\"drain_timeout\",service=\"shop\",to=\"green\",} 1.0");
    }

    @Test
    void webSocketStaysOnItsColorUntilTheDrainTimeoutClosesIt() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                received.add(data.toString());
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        };
        WebSocket ws = f.http().newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + f.gateway().proxyPort() + "/ws"), listener)
                .get(5, TimeUnit.SECONDS);
        ws.sendText("one", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("blue:one");

        f.switchTo("shop", "green");
        assertThat(f.get("/").body()).isEqualTo("green\n");
        ws.sendText("two", true).get(5, TimeUnit.SECONDS);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("blue:two"); // still on the color it started on

        // the drain timeout (700 ms) closes the upgraded connection and counts it
        assertThat(closed.get(10, TimeUnit.SECONDS)).isNotNull();
        String status = await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/status").body(),
                s -> s.contains("\"result\":\"drain_timeout\""));
        assertThat(status).contains("\"closed\":1");
    }
}
