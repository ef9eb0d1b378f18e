package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.H2Client;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP/2 with prior knowledge (h2c) from clients: each stream is one exchange, routed when its HEADERS arrive. */
class Http2FrontendTest {
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        f.backend("small", "small");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                http2:
                  h2c: true
                services:
                  shop:
                    active: blue
                    drainTimeout: 30s
                    colors:
                      blue:  [${blue}]
                      green: [${green}]
                  small:
                    hosts: [small]
                    maxBodySize: 16
                    active: blue
                    colors:
                      blue: [${small}]
                """);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void h2cStreamIsProxiedAsHttp11AndHttp11IsStillServedOnTheSameListener() throws Exception {
        try (H2Client c = new H2Client(f.gateway().proxyPort())) {
            assertThat(c.get("/hello")).isEqualTo("200 blue\n");
        }
        var seen = f.backend("blue").lastHeaders();
        assertThat(seen.get("host")).isEqualTo("shop");
        assertThat(seen.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(seen.names()).noneMatch(n -> n.toLowerCase().startsWith("x-http2-"));
        assertThat(f.get("/").body()).isEqualTo("blue\n");
    }

    @Test
    void streamsStartedAfterASwitchGoToGreenWhileAnOpenStreamFinishesOnBlue() throws Exception {
        try (H2Client c = new H2Client(f.gateway().proxyPort())) {
            var held = c.request(HttpMethod.GET, "/hold", "shop", null, null);
            await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
            assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);
            assertThat(c.get("/after")).isEqualTo("200 green\n"); // a new stream on the same connection
            assertThat(held).isNotDone();
            f.backend("blue").releaseHeld();
            FullHttpResponse r = held.get(10, TimeUnit.SECONDS);
            try {
                assertThat(r.status().code()).isEqualTo(200);
                assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo("blue\n");
            } finally {
                r.release();
            }
        }
    }

    @Test
    void requestBodyWithoutContentLengthStreamsUpstreamChunkedAndBack() throws Exception {
        try (H2Client c = new H2Client(f.gateway().proxyPort())) {
            H2Client.Pending p = c.start(HttpMethod.POST, "/echo", "shop");
            p.send("abc", false);
            p.send("def", true);
            FullHttpResponse r = p.response.get(10, TimeUnit.SECONDS);
            try {
                assertThat(r.status().code()).isEqualTo(200);
                assertThat(r.headers().get("x-color")).isEqualTo("blue");
                assertThat(r.headers().contains("transfer-encoding")).isFalse();
                assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo("abcdef");
            } finally {
                r.release();
            }
        }
        assertThat(f.backend("blue").lastHeaders().get("transfer-encoding")).isEqualTo("chunked");
    }

    @Test
    void bodyOverTheServicesMaxBodySizeIsRefusedWith413AndTheConnectionServesOn() throws Exception {
        try (H2Client c = new H2Client(f.gateway().proxyPort())) {
            FullHttpResponse r = c.request(HttpMethod.POST, "/", "small", "x".repeat(100), null)
                    .get(10, TimeUnit.SECONDS);
            try {
                assertThat(r.status().code()).isEqualTo(413);
            } finally {
                r.release();
            }
            FullHttpResponse ok = c.request(HttpMethod.POST, "/", "small", "tiny", null).get(10, TimeUnit.SECONDS);
            try {
                assertThat(ok.status().code()).isEqualTo(200);
                assertThat(ok.content().toString(StandardCharsets.UTF_8)).isEqualTo("small\n");
            } finally {
                ok.release();
            }
        }
    }

    @Test
    void streamsAreCountedInTheSameRequestSeries() throws Exception {
        try (H2Client c = new H2Client(f.gateway().proxyPort())) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.get("/")).isEqualTo("200 blue\n");
            }
        }
        String metrics = f.adminGet("/metrics").body();
        assertThat(metrics).containsPattern(
                "teal_requests_seconds_count\\{color=\"blue\",service=\"shop\",status=\"2xx\",?\\} 3\\.0");
    }

    @Test
    void largeBodiesStreamThroughBothWays() throws Exception {
        try (H2Client c = new H2Client(f.gateway().proxyPort())) {
            int n = 8 * 1024 * 1024 + 3;
            FullHttpResponse big = c.request(HttpMethod.GET, "/bytes?n=" + n, "shop", null, null)
                    .get(30, TimeUnit.SECONDS);
            try {
                assertThat(big.status().code()).isEqualTo(200);
                assertThat(big.content().readableBytes()).isEqualTo(n);
            } finally {
                big.release();
            }
            H2Client.Pending p = c.start(HttpMethod.POST, "/echo", "shop");
            StringBuilder sent = new StringBuilder();
            for (int i = 0; i < 64; i++) {
                String chunk = Integer.toString(i).repeat(16 * 1024 / Integer.toString(i).length());
                sent.append(chunk);
                p.send(chunk, i == 63);
            }
            FullHttpResponse echo = p.response.get(30, TimeUnit.SECONDS);
            try {
                assertThat(echo.content().toString(StandardCharsets.UTF_8)).isEqualTo(sent.toString());
            } finally {
                echo.release();
            }
        }
    }
}
