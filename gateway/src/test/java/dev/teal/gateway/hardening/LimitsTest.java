package dev.teal.gateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Slow clients, body size and concurrency limits, with real sockets: each answer, and that nothing waits in a queue. */
class LimitsTest {
    private final GatewayFixture f = new GatewayFixture();

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private void start(String settings, String serviceSettings) throws Exception {
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                %s
                services:
                  shop:
                    active: blue
                    %s
                    colors:
                      blue: [${blue}]
                """.formatted(settings, serviceSettings));
    }

    @Test
    void headThatDoesNotArriveWithinTheHeaderTimeoutGets408AndTheConnectionCloses() throws Exception {
        start("timeouts: {header: 300ms}", "");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\n");
            long t0 = System.nanoTime();
            // trickling more header lines does not extend the deadline
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try {
                    c.send("X-Trickle: 1\r\n");
                    return false;
                } catch (java.io.IOException closed) {
                    return true;
                }
            });
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        }
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer(2000)).isTrue();
        }
        assertThat(f.backend("blue").requests()).isZero();
    }

    @Test
    void headTrickledOnAKeepAliveConnectionTimesOutAtTheHeaderTimeoutNotTheIdleTimeout() throws Exception {
        start("timeouts: {header: 300ms, clientIdle: 20s}", "");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop").status()).isEqualTo(200);
            c.send("GET / HTTP/1.1\r\nHost: shop\r\n");
            long t0 = System.nanoTime();
            assertThat(c.read().status()).isEqualTo(408);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void bodyThatStallsLongerThanTheBodyTimeoutGets408() throws Exception {
        start("timeouts: {body: 300ms}", "");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST /slow?ms=5000 HTTP/1.1\r\nHost: shop\r\nContent-Length: 10\r\n\r\nhalf");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.isClosedByPeer(2000)).isTrue();
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start("timeouts: {clientIdle: 300ms}", "");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop").status()).isEqualTo(200);
            assertThat(c.isClosedByPeer(3000)).isTrue();
        }
    }

    @Test
    void chunkedBodyPassingTheLimitGets413AsSoonAsItPassesIt() throws Exception {
        start("", "maxBodySize: 1KiB");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST /slow?ms=5000 HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "200\r\n" + "a".repeat(512) + "\r\n");
            c.send("200\r\n" + "b".repeat(512) + "\r\n");
            c.send("1\r\nc\r\n"); // 1025 bytes: over the limit, and the body is not finished
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("connection")).isEqualTo("close");
        }
    }

    @Test
    void contentLengthOverTheLimitGets413BeforeAnyUpstreamConnection() throws Exception {
        start("", "maxBodySize: 1KiB");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop\r\nContent-Length: 5000\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
        }
        assertThat(f.backend("blue").requests()).isZero();
        assertThat(f.adminGet("/status").body()).contains("\"connections\":{\"active\":0,\"idle\":0}");
    }

    @Test
    void connectionOverMaxConnectionsGets503AtOnceAndAFreedSlotIsUsableAgain() throws Exception {
        start("limits: {maxConnections: 2}", "");
        try (RawClient a = new RawClient(f.gateway().proxyPort());
             RawClient b = new RawClient(f.gateway().proxyPort())) {
            assertThat(a.get("/", "shop").status()).isEqualTo(200);
            assertThat(b.get("/", "shop").status()).isEqualTo(200);
            try (RawClient over = new RawClient(f.gateway().proxyPort())) {
                RawClient.Response r = over.read(); // answered before it sends anything
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(over.isClosedByPeer(2000)).isTrue();
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> f.gateway().router() != null
                && statusOf(new RawClient(f.gateway().proxyPort())) == 200);
    }

    private static int statusOf(RawClient c) throws Exception {
        try (c) {
            return c.get("/", "shop").status();
        }
    }

    @Test
    void requestsOverMaxInflightGet503AtOnceWhileTheOthersComplete() throws Exception {
        start("", "maxInflight: 2");
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            slow.add(f.http().sendAsync(java.net.http.HttpRequest.newBuilder(f.url("/hold"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 2);
        HttpResponse<String> over = f.get("/");
        assertThat(over.statusCode()).isEqualTo(503);
        assertThat(over.body()).isEqualTo("service overloaded\n");
        // answered while both were still held by the backend: refused at once, not queued behind them
        assertThat(slow).noneMatch(CompletableFuture::isDone);
        f.backend("blue").releaseHeld();
        for (CompletableFuture<HttpResponse<String>> s : slow) {
            assertThat(s.get().statusCode()).isEqualTo(200);
        }
        assertThat(f.get("/").statusCode()).isEqualTo(200);
    }

    @Test
    void forwardedHeadersFromATrustedProxyAreAppendedTo() throws Exception {
        start("trustedProxies: [127.0.0.0/8]", "");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET /headers HTTP/1.1\r\nHost: shop\r\nX-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\n"
                    + "X-Forwarded-Host: public.example\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        var h = f.backend("blue").lastHeaders();
        assertThat(h.get("X-Forwarded-For")).isEqualTo("6.6.6.6, 127.0.0.1");
        assertThat(h.get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(h.get("X-Forwarded-Host")).isEqualTo("public.example");
    }
}
