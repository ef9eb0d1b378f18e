package dev.teal.controller;

import static dev.teal.controller.testing.ClusterFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.controller.reconcile.Phase;
import dev.teal.controller.testing.ClusterFixture;
import dev.teal.gateway.testing.ClusterObjects;
import dev.teal.controller.testing.Load;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ClusterGateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * End to end in one JVM: mock API server (CRUD), two real gateway replicas in cluster mode, the controller, real
 * backends on 127.0.0.1. Every test starts with {@code shop} Active on blue.
 */
class ClusterCutoverTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    ClusterFixture cluster;
    DemoBackend blue1;
    DemoBackend blue2;
    DemoBackend green1;
    DemoBackend green2;
    ClusterGateway gw1;
    ClusterGateway gw2;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ClusterFixture();
        blue1 = cluster.backend("blue");
        blue2 = cluster.backend("blue");
        green1 = cluster.backend("green");
        green2 = cluster.backend("green");
        cluster.colorSlice("blue", blue1, true);
        cluster.colorSlice("blue", blue2, true);
        gw1 = cluster.gateway("gw1");
        gw2 = cluster.gateway("gw2");
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    /** The first cutover of a new front Service: to blue; both replicas confirm. */
    private TealController activeOnBlue(Map<String, String> more) {
        TealController controller = cluster.controller("controller-a", true);
        Map<String, String> annotations = new java.util.HashMap<>(more);
        annotations.put("teal.dev/active", "blue");
        cluster.front(annotations);
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        return controller;
    }

    @Test
    void cutoverUnderLoadThroughTwoReplicasFailsNoRequest() throws Exception {
        activeOnBlue(Map.of());
        cluster.colorSlice("green", green1, true);
        cluster.colorSlice("green", green2, true);

        Load load = cluster.track(new Load(List.of(gw1, gw2), 40_000, Duration.ofSeconds(60)));
        await().atMost(WAIT).until(() -> load.answered("blue") > 200);
        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.activeOn("green"));
        await().atMost(WAIT).until(() -> load.answered("green") > 200);
        String summary = load.stop();

        assertThat(load.failed()).as(summary).isZero();
        for (ClusterGateway gw : List.of(gw1, gw2)) {
            for (int i = 0; i < 10; i++) {
                assertThat(cluster.answer(gw)).as("after confirmation every replica serves green").isEqualTo("green");
            }
        }
        assertThat(cluster.events("CutoverComplete")).last()
                .satisfies(e -> assertThat(e.getMessage()).startsWith("cutover from blue to green complete in ")
                        .endsWith("; 2 gateway replicas confirmed"));
        assertThat(cluster.status().lastCutover().replicas()).isEqualTo(2);
        assertThat(cluster.client.network().v1().ingresses().inNamespace(NS).withName("shop").get()
                .getMetadata().getLabels()).containsEntry("teal.dev/active-color", "green");
        assertThat(cluster.client.services().inNamespace(NS).withName("shop-green").get().getSpec().getSelector())
                .isEqualTo(Map.of("app", "shop", "color", "green"));
    }

    @Test
    void cutoverWaitsUntilGreenHasReadyEndpointsWhileGatewaysKeepServingBlue() throws Exception {
        activeOnBlue(Map.of("teal.dev/min-ready", "2"));
        cluster.colorSlice("green", green1, true);
        cluster.colorSlice("green", green2, false);

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Waiting);
        assertThat(cluster.status().message()).contains("1/2 ready endpoints");
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
        assertThat(cluster.answer(gw1)).isEqualTo("blue");
        assertThat(cluster.answer(gw2)).isEqualTo("blue");

        cluster.colorSlice("green", green2, true);
        await().atMost(WAIT).until(() -> cluster.activeOn("green"));
        assertThat(cluster.answer(gw1)).isEqualTo("green");
        assertThat(cluster.answer(gw2)).isEqualTo("green");
    }

    @Test
    void badAnnotationBlocksWithAWarningEventAndGatewaysKeepServing() throws Exception {
        activeOnBlue(Map.of());
        cluster.colorSlice("green", green1, true);
        String selectorBefore = cluster.front().getSpec().getSelector().toString();

        cluster.client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("teal.dev/drain-timeout", "30 seconds");
            s.getMetadata().getAnnotations().put("teal.dev/active", "green");
            return s;
        });

        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Blocked);
        assertThat(cluster.status().message()).startsWith("teal.dev/drain-timeout: '30 seconds' is not a duration");
        await().atMost(WAIT).until(() -> !cluster.events("InvalidAnnotation").isEmpty());
        assertThat(cluster.events("InvalidAnnotation").get(0).getType()).isEqualTo("Warning");
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
        assertThat(cluster.front().getSpec().getSelector().toString()).isEqualTo(selectorBefore);
        assertThat(cluster.client.services().inNamespace(NS).withName("shop-green").get()).isNull();
        assertThat(cluster.answer(gw1)).isEqualTo("blue");
        assertThat(cluster.answer(gw2)).isEqualTo("blue");
    }

    @Test
    void changeDuringACutoverWins() throws Exception {
        TealController controller = activeOnBlue(Map.of("teal.dev/drain-timeout", "20s"));
        cluster.colorSlice("green", green1, true);
        CompletableFuture<HttpResponse<String>> held = heldRequest(gw1); // keeps gw1 draining blue until released

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Draining);
        cluster.annotate("teal.dev/active", "blue"); // the user rolls back mid-cutover

        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        assertThat(held).as("still in flight on blue through both switches").isNotDone();
        releaseHeld();
        assertThat(held.get().body().trim()).as("the request in flight on blue completed").isEqualTo("blue");
        assertThat(cluster.answer(gw1)).isEqualTo("blue");
        assertThat(cluster.answer(gw2)).isEqualTo("blue");
        assertThat(cluster.events("CutoverComplete")).last()
                .satisfies(e -> assertThat(e.getMessage()).startsWith("cutover from green to blue complete"));
        assertThat(controller.metrics().scrape())
                .contains("teal_controller_cutovers_total{result=\"superseded\",} 1.0");
    }

    /** In cluster mode the annotation is the only source of truth: the admin switch call answers 409, changes nothing. */
    @Test
    void adminSwitchCallAnswers409InClusterModeAndChangesNothing() throws Exception {
        activeOnBlue(Map.of());
        cluster.colorSlice("green", green1, true);
        for (ClusterGateway gw : List.of(gw1, gw2)) {
            HttpResponse<String> r = cluster.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + gw.gateway().adminPort() + "/services/shop." + NS + "/switch?to=green&force=true"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
            assertThat(r.body()).contains("teal.dev/active");
            assertThat(cluster.answer(gw)).isEqualTo("blue");
        }
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
    }

    @Test
    void standbyControllerFinishesACutoverWhenTheLeaderIsLost() throws Exception {
        TealController a = cluster.controller("controller-a", false); // dies holding the Lease, like a killed pod
        await().atMost(WAIT).until(a::isLeader);
        TealController b = cluster.controller("controller-b", true);
        cluster.front(Map.of("teal.dev/active", "blue"));
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        cluster.colorSlice("green", green1, true);
        CompletableFuture<HttpResponse<String>> held = heldRequest(gw2); // gw2 drains blue until it is released

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Draining);
        a.close();

        await().atMost(WAIT).until(b::isLeader);
        assertThat(cluster.phase()).as("the drain on gw2 is not over: still Draining").isEqualTo(Phase.Draining);
        assertThat(held).isNotDone();
        releaseHeld();
        await().atMost(WAIT).until(() -> cluster.activeOn("green"));
        assertThat(b.isLeader()).isTrue();
        assertThat(cluster.client.leases().inNamespace(ClusterFixture.GW_NS).withName("teal-controller").get()
                .getSpec().getHolderIdentity()).isEqualTo("controller-b");
        assertThat(cluster.events("CutoverComplete")).last()
                .satisfies(e -> assertThat(e.getSource().getHost()).isEqualTo("controller-b"));
        assertThat(held.get().statusCode()).isEqualTo(200);
        assertThat(cluster.answer(gw1)).isEqualTo("green");
        assertThat(cluster.answer(gw2)).isEqualTo("green");
    }

    @Test
    void scaleDownOnlyAfterConfirmationAndTheDelay() throws Exception {
        ClusterObjects.deployment(cluster.client, "shop-blue", "shop", "blue", 2);
        ClusterObjects.deployment(cluster.client, "shop-green", "shop", "green", 2);
        activeOnBlue(Map.of("teal.dev/scale-down-delay", "2s"));
        cluster.colorSlice("green", green1, true);
        CompletableFuture<HttpResponse<String>> held = heldRequest(gw1); // gw1 drains blue until it is released

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Draining);
        assertThat(replicas("shop-blue")).as("blue is not scaled down while draining").isEqualTo(2);
        assertThat(held).isNotDone();
        releaseHeld();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Phase p = cluster.phase();
            if (p != Phase.Active) {
                assertThat(replicas("shop-blue")).as("blue is not scaled down before confirmation (%s)", p)
                        .isEqualTo(2);
            }
            return cluster.activeOn("green");
        });
        Instant confirmed = cluster.status().lastCutover().completedAt();
        assertThat(held.get().statusCode()).isEqualTo(200);
        assertThat(replicas("shop-blue")).isEqualTo(2);

        await().atMost(WAIT).until(() -> replicas("shop-blue") == 0);
        assertThat(Instant.now()).isAfterOrEqualTo(confirmed.plusSeconds(2));
        assertThat(replicas("shop-green")).isEqualTo(2);
        await().atMost(WAIT).until(() -> !cluster.events("ScaledDown").isEmpty()); // recorded right after scaling
        assertThat(cluster.events("ScaledDown")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("shop-blue"));
        String blue = "/apis/apps/v1/namespaces/" + NS + "/deployments/shop-blue";
        assertThat(cluster.api.calls()).as("the chart grants patch on deployments/scale, no write on deployments")
                .filteredOn(c -> c.identity().startsWith("controller/") && !c.method().equals("GET")
                        && c.path().startsWith("/apis/apps/"))
                .extracting(c -> c.method() + " " + c.path())
                .containsExactly("PATCH " + blue + "/scale");
    }

    @Test
    void apiServerOutageGatewaysKeepServingARestartedGatewayUsesItsSnapshotAndStateResyncs() throws Exception {
        activeOnBlue(Map.of());
        cluster.colorSlice("green", green1, true);
        await().atMost(WAIT).until(() -> Files.readString(cluster.snapshot("gw1")).contains("\"active\" : \"blue\"")
                || Files.readString(cluster.snapshot("gw1")).contains("\"active\":\"blue\""));
        Path copy = Files.copy(cluster.snapshot("gw1"), cluster.snapshot("gw3"));

        cluster.api.stop();
        Load load = cluster.track(new Load(List.of(gw1, gw2), 2_000, Duration.ofSeconds(20)));
        await().atMost(WAIT).until(() -> load.answered("blue") >= 1_000 || load.failed() > 0);
        KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + cluster.api.port())
                        .withRequestTimeout(1000).withConnectionTimeout(500).build()).build();
        ClusterGateway gw3 = cluster.startGateway("gw3", unreachable, copy);
        assertThat(cluster.answer(gw3)).as("started during the outage, from its snapshot").isEqualTo("blue");
        assertThat(cluster.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gw3.gateway().adminPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        String summary = load.stop();
        assertThat(load.failed()).as(summary).isZero();

        cluster.api.start();
        cluster.annotate("teal.dev/active", "green");
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.activeOn("green"));
        await().atMost(WAIT).until(() -> "green".equals(cluster.answer(gw3)));
        assertThat(cluster.answer(gw1)).isEqualTo("green");
        assertThat(cluster.answer(gw2)).isEqualTo("green");
    }

    private int replicas(String deployment) {
        return cluster.client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getReplicas();
    }

    /** Starts GET /hold through {@code gw} and returns once a blue backend holds it (in flight until released). */
    private CompletableFuture<HttpResponse<String>> heldRequest(ClusterGateway gw) {
        int before = blue1.heldRequests() + blue2.heldRequests();
        CompletableFuture<HttpResponse<String>> f = cluster.http().sendAsync(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + gw.gateway().proxyPort() + "/hold"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> blue1.heldRequests() + blue2.heldRequests() > before);
        return f;
    }

    private void releaseHeld() {
        blue1.releaseHeld();
        blue2.releaseHeld();
    }
}
