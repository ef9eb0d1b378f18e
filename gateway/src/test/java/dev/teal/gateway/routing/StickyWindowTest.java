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
 * The version-sticky window through real sockets: answers set {@code teal-v=<color>}; during the old color's drain a
 * request carrying its cookie goes to it until the drain deadline, while new clients go to the new color at once;
 * after the deadline everyone is on the new color and the cookie is rewritten.
 */
class StickyWindowTest {
    private static final String BLUE_COOKIE = "teal-v=blue; HttpOnly; SameSite=Lax; Path=/";
    private static final String GREEN_COOKIE = "teal-v=green; HttpOnly; SameSite=Lax; Path=/";
    private GatewayFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(f.url(path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return f.http().sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return getAsync(path, headers).get(30, TimeUnit.SECONDS);
    }

    @Test
    void oldCookieStaysOnOldColorUntilTheDrainDeadlineWhileNewClientsGoToNew() throws Exception {
        f = GatewayFixture.blueGreen("sticky: true\ndrainTimeout: 4s");
        HttpResponse<String> first = get("/");
        assertThat(first.body()).isEqualTo("blue\n");
        assertThat(first.headers().allValues("set-cookie")).containsExactly(BLUE_COOKIE);
        HttpResponse<String> again = get("/", "Cookie", "a=1; teal-v=blue");
        assertThat(again.headers().allValues("set-cookie")).as("it has the cookie already").isEmpty();
        assertThat(f.backend("blue").lastHeaders().get("Cookie")).as("teal-v is the gateway's: stripped")
                .isEqualTo("a=1");

        // a request held by blue keeps the drain open (it would anyway: a sticky drain lasts until its deadline)
        CompletableFuture<HttpResponse<String>> held = getAsync("/hold", "Cookie", "teal-v=blue");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
        assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);

        List<CompletableFuture<HttpResponse<String>>> old = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> fresh = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // bounded load, well inside the 4 s window
            old.add(getAsync("/", "Cookie", "teal-v=blue; b=2"));
            fresh.add(getAsync("/"));
        }
        for (var r : old) {
            HttpResponse<String> res = r.get(30, TimeUnit.SECONDS);
            assertThat(res.body()).isEqualTo("blue\n");
            assertThat(res.headers().allValues("set-cookie")).isEmpty();
        }
        for (var r : fresh) {
            HttpResponse<String> res = r.get(30, TimeUnit.SECONDS);
            assertThat(res.body()).isEqualTo("green\n");
            assertThat(res.headers().allValues("set-cookie")).containsExactly(GREEN_COOKIE);
        }
        String status = f.adminGet("/status").body();
        assertThat(status).contains("\"sticky\":{\"color\":\"blue\",\"until\":\"").contains("\"requests\":40}");
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_sticky_requests_total{color=\"blue\",service=\"shop\",} 40.0");

        // the deadline: the held request is cut, the window closes, the old cookie now gets green and a new cookie
        status = await().atMost(Duration.ofSeconds(15)).until(() -> f.adminGet("/status").body(),
                s -> s.contains("\"result\":\"drain_timeout\""));
        assertThat(status).doesNotContain("\"sticky\":{");
        assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(502);
        f.backend("blue").releaseHeld();
        long blueBefore = f.backend("blue").requests();
        HttpResponse<String> after = get("/", "Cookie", "teal-v=blue");
        assertThat(after.body()).isEqualTo("green\n");
        assertThat(after.headers().allValues("set-cookie")).containsExactly(GREEN_COOKIE);
        assertThat(f.backend("blue").requests()).isEqualTo(blueBefore);
        assertThat(f.backend("green").lastHeaders().contains("Cookie")).isFalse();
    }

    @Test
    void stickyDrainWithNothingInFlightLastsUntilItsDeadlineAndEndsDrained() throws Exception {
        f = GatewayFixture.blueGreen("sticky: true\ndrainTimeout: 1500ms");
        assertThat(get("/").body()).isEqualTo("blue\n");
        long switched = System.nanoTime();
        f.switchTo("shop", "green");
        assertThat(get("/", "Cookie", "teal-v=blue").body()).as("inside the window").isEqualTo("blue\n");
        String status = await().atMost(Duration.ofSeconds(10)).until(() -> f.adminGet("/status").body(),
                s -> s.contains("\"lastDrain\":{\"color\":\"blue\",\"result\":\"drained\""));
        assertThat(Duration.ofNanos(System.nanoTime() - switched)).as("a sticky drain is the whole window")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(status).contains("\"drain\":null");
        assertThat(get("/", "Cookie", "teal-v=blue").body()).isEqualTo("green\n");
    }

    @Test
    void stickyOffSetsNoCookieAndIgnoresIt() throws Exception {
        f = GatewayFixture.blueGreen("drainTimeout: 5s");
        HttpResponse<String> r = get("/", "Cookie", "teal-v=green");
        assertThat(r.body()).isEqualTo("blue\n");
        assertThat(r.headers().allValues("set-cookie")).isEmpty();
        assertThat(f.backend("blue").lastHeaders().get("Cookie")).isEqualTo("teal-v=green");
    }
}
