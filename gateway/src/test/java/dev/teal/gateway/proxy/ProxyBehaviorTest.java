package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProxyBehaviorTest {
    private static GatewayFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        f.backend("api", "api");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                services:
                  shop:
                    active: blue
                    colors:
                      blue:  [${blue}]
                      green: [${green}]
                  api:
                    hosts: [api.example.com, "*.api.example.com"]
                    active: blue
                    colors:
                      blue: [${api}]
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void routesByHostHeaderAndFallsBackToTheDefaultService() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "api.example.com").text()).isEqualTo("api\n");
            assertThat(c.get("/", "API.Example.com:8080").text()).isEqualTo("api\n");
            assertThat(c.get("/", "eu.api.example.com").text()).isEqualTo("api\n");
            assertThat(c.get("/", "other.example.com").text()).isEqualTo("blue\n");
        }
    }

    @Test
    void largeRequestBodyStreamsThroughUnchanged() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        HttpResponse<byte[]> r = f.http().send(HttpRequest.newBuilder(f.url("/echo"))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(MessageDigest.getInstance("SHA-256").digest(r.body()))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
    }

    @Test
    void largeResponseBodyStreamsThrough() throws Exception {
        long n = 64L * 1024 * 1024;
        HttpResponse<java.io.InputStream> r = f.http().send(HttpRequest.newBuilder(f.url("/bytes?n=" + n))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long read = 0;
        try (var in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            int k;
            while ((k = in.read(buf)) > 0) {
                read += k;
            }
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(read).isEqualTo(n);
    }

    @Test
    void chunkedRequestIsForwardedAndAnswered() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(c.get("/", "shop").text()).isEqualTo("blue\n"); // connection still usable
        }
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Response interim = c.read();
            assertThat(interim.status()).isEqualTo(100);
            c.send("hello");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
        }
    }

    @Test
    void forwardingHeadersAreSetAndHopByHopHeadersStripped() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET /headers HTTP/1.1\r\nHost: shop.example.com\r\n"
                    + "X-Forwarded-For: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil\r\n"
                    + "Connection: keep-alive, X-Secret\r\nX-Secret: 1\r\nKeep-Alive: timeout=5\r\n"
                    + "Proxy-Connection: keep-alive\r\nTE: trailers\r\nX-Kept: yes\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("connection")).isNull();
            var h = f.backend("blue").lastHeaders();
            assertThat(h.get("X-Forwarded-For")).isEqualTo("127.0.0.1"); // not trusted: replaced
            assertThat(h.get("X-Forwarded-Proto")).isEqualTo("http");
            assertThat(h.get("X-Forwarded-Host")).isEqualTo("shop.example.com");
            assertThat(h.get("Host")).isEqualTo("shop.example.com");
            assertThat(h.get("X-Kept")).isEqualTo("yes");
            assertThat(h.contains("X-Secret")).isFalse();
            assertThat(h.contains("Keep-Alive")).isFalse();
            assertThat(h.contains("Proxy-Connection")).isFalse();
            assertThat(h.contains("TE")).isFalse();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET /slow?ms=200 HTTP/1.1\r\nHost: shop\r\n\r\nGET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("blue\n");
            assertThat(c.read().text()).isEqualTo("api\n");
            assertThat(c.read().text()).isEqualTo("blue\n");
        }
    }

    @Test
    void headRequestGetsHeadersWithoutBody() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("HEAD / HTTP/1.1\r\nHost: shop\r\n\r\n");
            RawClient.Response r = c.read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("5");
            assertThat(c.get("/", "shop").text()).isEqualTo("blue\n"); // framing intact after HEAD
        }
    }

    @Test
    void http10ClientGetsItsAnswerAndTheConnectionCloses() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET / HTTP/1.0\r\nHost: shop\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("blue\n");
            assertThat(c.isClosedByPeer(5000)).isTrue();
        }
    }

    @Test
    void connectionCloseFromClientIsHonored() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.isClosedByPeer(5000)).isTrue();
        }
    }

    @Test
    void requestWithBothContentLengthAndTransferEncodingIsRefusedAndNothingIsForwarded() throws Exception {
        long before = f.backend("blue").requests();
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.text()).doesNotContain("Exception");
            assertThat(c.isClosedByPeer(5000)).isTrue();
        }
        assertThat(f.backend("blue").requests()).isEqualTo(before);
    }

    @Test
    void oversizedHeadersAndRequestLineAreRefused() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: shop\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(414);
        }
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\nX-Big: " + "b".repeat(70 * 1024) + "\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(431);
        }
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: shop\r\n");
            for (int i = 0; i < 120; i++) {
                many.append("X-H").append(i).append(": v\r\n");
            }
            c.send(many.append("\r\n").toString());
            assertThat(c.read().status()).isEqualTo(431);
        }
    }

    @Test
    void requestWithoutHostIsRefused() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET / HTTP/1.1\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
    }
}
