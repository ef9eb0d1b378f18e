package dev.teal.controller;

import static dev.teal.controller.testing.ClusterFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.controller.reconcile.Phase;
import dev.teal.controller.testing.ClusterFixture;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ApiCall;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.api.model.Service;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Preview in cluster mode, end to end: the controller keeps {@code shop-green} as soon as a green Deployment exists
 * (before any cutover), the gateways get its endpoints, and a request with {@code X-Teal-Color: green} reaches green
 * while blue serves; {@code teal.dev/sticky} sets the version cookie; a bad value blocks and changes nothing. Mock API
 * server (its calls recorded and checked), two real gateways in cluster mode, real backends, the controller.
 */
class ClusterPreviewTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    ClusterFixture cluster;
    DemoBackend blue;
    DemoBackend green;
    ClusterGateway gw1;
    ClusterGateway gw2;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ClusterFixture();
        ClusterFixture.BlueAndGreen started = cluster.blueAndGreenBehindTwoGateways();
        blue = started.blue();
        green = started.green();
        gw1 = started.gw1();
        gw2 = started.gw2();
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    @Test
    void greenDeploymentGetsItsColorServiceBeforeAnyCutoverAndPreviewReachesItWhileBlueServes() throws Exception {
        ClusterObjects.deployment(cluster.client, "shop-blue", "shop", "blue", 2);
        cluster.front(Map.of("teal.dev/active", "blue", "teal.dev/preview", "true", "teal.dev/sticky", "true"));
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        assertThat(cluster.client.services().inNamespace(NS).withName("shop-green").get()).isNull();

        ClusterObjects.deployment(cluster.client, "shop-green", "shop", "green", 2);
        Service colorService = await().atMost(WAIT)
                .until(() -> cluster.client.services().inNamespace(NS).withName("shop-green").get(), s -> s != null);
        assertThat(colorService.getSpec().getSelector()).isEqualTo(Map.of("app", "shop", "color", "green"));
        assertThat(colorService.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("shop"));
        List<ApiCall> creates = cluster.api.calls().stream().filter(c -> c.identity().startsWith("controller/")
                && c.method().equals("POST") && c.path().equals("/api/v1/namespaces/" + NS + "/services")).toList();
        assertThat(creates).as("shop-blue and shop-green, each created once").hasSize(2);
        assertThat(cluster.api.calls()).as("the controller watches Deployments (the chart grants list and watch)")
                .anyMatch(c -> c.identity().startsWith("controller/") && c.path().endsWith("/deployments")
                        && c.query().contains("watch=true"));

        // the endpoint controller's part, which the mock does not play
        cluster.colorSlice("green", green, true);
        for (ClusterGateway gw : List.of(gw1, gw2)) {
            await().atMost(WAIT).until(() -> preview(gw, "green").body().equals("green\n"));
        }
        List<CompletableFuture<HttpResponse<String>>> plain = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> previewed = new ArrayList<>();
        for (int i = 0; i < 50; i++) { // bounded load on both replicas
            ClusterGateway gw = i % 2 == 0 ? gw1 : gw2;
            plain.add(send(gw, HttpRequest.newBuilder(uri(gw, "/"))));
            previewed.add(send(gw, HttpRequest.newBuilder(uri(gw, "/")).header("Cookie", "teal-color=green; a=1")));
        }
        for (var r : plain) {
            HttpResponse<String> res = r.get(20, TimeUnit.SECONDS);
            assertThat(res.body()).isEqualTo("blue\n");
            assertThat(res.headers().allValues("set-cookie"))
                    .containsExactly("teal-v=blue; HttpOnly; SameSite=Lax; Path=/");
        }
        for (var r : previewed) {
            assertThat(r.get(20, TimeUnit.SECONDS).body()).isEqualTo("green\n");
        }
        assertThat(green.lastHeaders().get("Cookie")).isEqualTo("a=1");
        assertThat(preview(gw1, "purple").statusCode()).isEqualTo(503);
        assertThat(gw1.gateway().metrics().scrape()).contains("teal_preview_requests_total{color=\"green\"");
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
    }

    @Test
    void badPreviewAnnotationBlocksWithAWarningEventAndChangesNothing() throws Exception {
        cluster.front(Map.of("teal.dev/active", "blue", "teal.dev/preview", "true"));
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        cluster.colorSlice("green", green, true);
        await().atMost(WAIT).until(() -> preview(gw1, "green").body().equals("green\n"));

        cluster.client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("teal.dev/preview-from", "10.0.0.0/8, the office");
            s.getMetadata().getAnnotations().put("teal.dev/active", "green");
            return s;
        });
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Blocked);
        assertThat(cluster.status().message()).startsWith("teal.dev/preview-from: 'the office' is not a CIDR");
        await().atMost(WAIT).until(() -> !cluster.events("InvalidAnnotation").isEmpty());
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
        assertThat(cluster.answer(gw1)).isEqualTo("blue");
        assertThat(preview(gw1, "green").body()).as("the gateways keep the last valid settings").isEqualTo("green\n");
    }

    @Test
    void stickyCookieKeepsOldClientsOnBlueUntilTheDrainDeadlineOfAClusterCutover() throws Exception {
        cluster.front(Map.of("teal.dev/active", "blue", "teal.dev/sticky", "true", "teal.dev/drain-timeout", "6s"));
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        cluster.colorSlice("green", green, true);
        await().atMost(WAIT).until(() -> status(gw1).contains("\"green\":{") && status(gw2).contains("\"green\":{"));
        CompletableFuture<HttpResponse<String>> held = send(gw1, HttpRequest.newBuilder(uri(gw1, "/hold"))
                .header("Cookie", "teal-v=blue"));
        await().atMost(WAIT).until(() -> blue.heldRequests() == 1);

        cluster.annotate("teal.dev/active", "green");
        for (ClusterGateway gw : List.of(gw1, gw2)) {
            await().atMost(WAIT).until(() -> cluster.answer(gw).equals("green"));
        }
        for (int i = 0; i < 20; i++) {
            ClusterGateway gw = i % 2 == 0 ? gw1 : gw2;
            HttpResponse<String> old = send(gw, HttpRequest.newBuilder(uri(gw, "/")).header("Cookie", "teal-v=blue"))
                    .get(20, TimeUnit.SECONDS);
            assertThat(old.body()).as("inside the window").isEqualTo("blue\n");
        }
        assertThat(status(gw1)).contains("\"sticky\":{\"color\":\"blue\"");
        assertThat(cluster.phase()).as("the controller waits for the window to end").isNotEqualTo(Phase.Active);

        await().atMost(WAIT).until(() -> cluster.activeOn("green"));
        assertThat(held.get(20, TimeUnit.SECONDS).statusCode()).as("cut at the drain deadline").isEqualTo(502);
        blue.releaseHeld();
        HttpResponse<String> after = send(gw2, HttpRequest.newBuilder(uri(gw2, "/")).header("Cookie", "teal-v=blue"))
                .get(20, TimeUnit.SECONDS);
        assertThat(after.body()).isEqualTo("green\n");
        assertThat(after.headers().allValues("set-cookie"))
                .containsExactly("teal-v=green; HttpOnly; SameSite=Lax; Path=/");
    }

    private String status(ClusterGateway gw) throws Exception {
        return cluster.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().adminPort()
                + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> preview(ClusterGateway gw, String color) throws Exception {
        return send(gw, HttpRequest.newBuilder(uri(gw, "/")).header("X-Teal-Color", color)).get(20, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> send(ClusterGateway gw, HttpRequest.Builder b) {
        return cluster.http().sendAsync(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(ClusterGateway gw, String path) {
        return URI.create("http://127.0.0.1:" + gw.gateway().proxyPort() + path);
    }
}
