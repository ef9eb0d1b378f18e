package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Preview through real sockets: a real gateway, real backends that say their color and show what they received, the
 * JDK HTTP client. A request naming a color goes there while another serves; an unknown or empty color is refused
 * with a reason and never served by the serving color; preview off or from a client outside {@code from} routes as
 * usual.
 */
class PreviewTest {
    private GatewayFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.url(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return f.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.url(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return f.http().sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void previewHeaderAndCookieReachGreenWhileBlueServesUnderLoad() throws Exception {
        f = GatewayFixture.blueGreen("preview: true");
        List<CompletableFuture<HttpResponse<String>>> plain = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> byHeader = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> byCookie = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // bounded: 300 requests in flight together at most
            plain.add(getAsync("/"));
            byHeader.add(getAsync("/", "X-Teal-Color", "green"));
            byCookie.add(getAsync("/", "Cookie", "teal-color=green"));
        }
        for (var r : plain) {
            assertThat(r.get(20, TimeUnit.SECONDS).body()).isEqualTo("blue\n");
        }
        for (var r : byHeader) {
            assertThat(r.get(20, TimeUnit.SECONDS).body()).isEqualTo("green\n");
        }
        for (var r : byCookie) {
            assertThat(r.get(20, TimeUnit.SECONDS).body()).isEqualTo("green\n");
        }
        assertThat(f.backend("green").requests()).isEqualTo(200);
        String metrics = f.gateway().metrics().scrape();
        assertThat(metrics)
                .contains("teal_preview_requests_total{color=\"green\",service=\"shop\",status=\"2xx\",} 200.0")
                .contains("teal_requests_seconds_count{color=\"blue\",service=\"shop\",status=\"2xx\",} 100.0")
                .as("previews never count in green's own latency and status series")
                .doesNotContain("teal_requests_seconds_count{color=\"green\"");
    }

    @Test
    void previewHeaderAndCookieAreStrippedAndOtherCookiesKeptByteForByte() throws Exception {
        f = GatewayFixture.blueGreen("preview: true");
        HttpResponse<String> r = get("/", "X-Teal-Color", "green",
                "Cookie", "a=1;  theme=dark; teal-color=green; b=\"x y\"");
        assertThat(r.body()).isEqualTo("green\n");
        var seen = f.backend("green").lastHeaders();
        assertThat(seen.contains("X-Teal-Color")).isFalse();
        assertThat(seen.getAll("Cookie")).containsExactly("a=1;  theme=dark; b=\"x y\"");

        get("/", "Cookie", "teal-color=green");
        assertThat(f.backend("green").lastHeaders().contains("Cookie")).as("nothing left: no Cookie header").isFalse();
    }

    @Test
    void unknownColorGets503WithItsReasonAndNeverTheServingColor() throws Exception {
        f = GatewayFixture.blueGreen("preview: true");
        long blueBefore = f.backend("blue").requests();
        HttpResponse<String> r = get("/", "X-Teal-Color", "purple");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body().trim()).isEqualTo("preview: 'purple' is not a color of service shop");
        HttpResponse<String> odd = get("/", "Cookie", "teal-color=<script>");
        assertThat(odd.statusCode()).isEqualTo(503);
        assertThat(odd.body()).doesNotContain("<script>").contains("is not a color of service shop");
        assertThat(f.backend("blue").requests()).isEqualTo(blueBefore);
        assertThat(f.gateway().metrics().scrape()).contains("teal_rejected_requests_total{reason=\"preview\",} 2.0");
    }

    @Test
    void colorWithoutUsableEndpointGets503WithItsReason() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                services:
                  shop:
                    active: blue
                    preview: true
                    colors:
                      blue: [${blue}]
                      red: []
                """);
        long blueBefore = f.backend("blue").requests();
        HttpResponse<String> r = get("/", "X-Teal-Color", "red");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body().trim()).isEqualTo("preview: color 'red' of service shop has no usable endpoint");
        assertThat(f.backend("blue").requests()).isEqualTo(blueBefore);
        assertThat(get("/").body()).isEqualTo("blue\n");
    }

    @Test
    void sequentialPreviewsReuseOnePooledUpstreamConnection() throws Exception {
        f = GatewayFixture.blueGreen("preview: true");
        for (int i = 0; i < 20; i++) { // one keep-alive client connection, so one event loop and its pool
            assertThat(get("/", "X-Teal-Color", "green").body()).isEqualTo("green\n");
        }
        assertThat(f.backend("green").connectionsOpened()).as("pooled although green does not serve").isEqualTo(1);
    }

    @Test
    void previewOffIgnoresTheHeaderAndCookieAndForwardsThemUntouched() throws Exception {
        f = GatewayFixture.blueGreen("");
        HttpResponse<String> r = get("/", "X-Teal-Color", "green", "Cookie", "teal-color=green; a=1");
        assertThat(r.body()).isEqualTo("blue\n");
        assertThat(get("/", "X-Teal-Color", "purple").statusCode()).isEqualTo(200);
        var seen = f.backend("blue").lastHeaders();
        assertThat(seen.get("X-Teal-Color")).isEqualTo("purple");
        assertThat(f.backend("green").requests()).isZero();
    }

    @Test
    void previewFromOtherAddressesOnlyIsIgnoredAndStrippedForThisClient() throws Exception {
        f = GatewayFixture.blueGreen("""
                preview:
                  header: X-Preview
                  cookie: pv
                  from: [10.0.0.0/8, trustedProxies]""");
        HttpResponse<String> r = get("/", "X-Preview", "green", "Cookie", "pv=green; a=1");
        assertThat(r.body()).as("127.0.0.1 is neither in 10.0.0.0/8 nor a trusted proxy").isEqualTo("blue\n");
        var seen = f.backend("blue").lastHeaders();
        assertThat(seen.contains("X-Preview")).isFalse();
        assertThat(seen.get("Cookie")).isEqualTo("a=1");
        assertThat(f.backend("green").requests()).isZero();
    }

    @Test
    void previewFromAnAllowedAddressUsesTheConfiguredNames() throws Exception {
        f = GatewayFixture.blueGreen("""
                preview:
                  header: X-Preview
                  cookie: pv
                  from: [127.0.0.0/8]""");
        assertThat(get("/", "X-Preview", "green").body()).isEqualTo("green\n");
        assertThat(get("/", "Cookie", "pv=green").body()).isEqualTo("green\n");
        assertThat(get("/", "X-Teal-Color", "green").body()).as("the default name means nothing here").isEqualTo("blue\n");
    }

    @Test
    void previewedRequestCountsInItsColorsInflightAndAGreenDrainWaitsForIt() throws Exception {
        f = GatewayFixture.blueGreen("preview: true\ndrainTimeout: 20s");
        f.switchTo("shop", "green");
        f.switchTo("shop", "blue");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/status").body().contains("\"drain\":null"));
        CompletableFuture<HttpResponse<String>> held = getAsync("/hold", "X-Teal-Color", "green");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("green").heldRequests() == 1);
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_inflight_requests{color=\"green\",service=\"shop\",} 1.0");
        // switch to green and back: the drain of green now waits for the previewed request
        f.switchTo("shop", "green");
        f.switchTo("shop", "blue");
        String status = f.adminGet("/status").body();
        assertThat(status).contains("\"drain\":{\"color\":\"green\"").contains("\"inflight\":1");
        f.backend("green").releaseHeld();
        assertThat(held.get(10, TimeUnit.SECONDS).body()).isEqualTo("green\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/status").body().contains("\"drain\":null"));
    }

    @Test
    void accessLogLineOfAPreviewSaysRoutePreview() throws Exception {
        var lines = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        var access = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("teal.access");
        lines.start();
        access.addAppender(lines);
        try {
            f = new GatewayFixture();
            f.backend("blue", "blue");
            f.backend("green", "green");
            f.start("""
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    accessLog: true
                    services:
                      shop:
                        active: blue
                        preview: true
                        colors: {blue: [${blue}], green: [${green}]}
                    """);
            assertThat(get("/p", "X-Teal-Color", "green").body()).isEqualTo("green\n");
            assertThat(get("/s").body()).isEqualTo("blue\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.size() >= 2);
            java.util.Map<String, java.util.Map<String, String>> byPath = new java.util.HashMap<>();
            for (var e : lines.list) {
                java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
                e.getKeyValuePairs().forEach(kv -> m.put(kv.key, String.valueOf(kv.value)));
                byPath.put(m.get("path"), m);
            }
            assertThat(byPath.get("/p")).containsEntry("color", "green").containsEntry("route", "preview");
            assertThat(byPath.get("/s")).containsEntry("color", "blue").doesNotContainKey("route");
        } finally {
            access.detachAppender(lines);
        }
    }
}
