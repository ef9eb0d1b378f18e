package dev.teal.controller;

import static dev.teal.controller.testing.ClusterFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.controller.reconcile.CutoverStatus;
import dev.teal.controller.reconcile.Phase;
import dev.teal.controller.testing.ClusterFixture;
import dev.teal.controller.testing.Load;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.testing.ClusterObjects;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guarded cutover in a cluster: mock API server (CRUD), two real gateway replicas, the controller, real backends.
 * The controller sums both replicas' window figures, judges them and rolls back through {@code teal.dev/serving}.
 */
class ClusterGuardTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    ClusterFixture cluster;
    DemoBackend blue1;
    DemoBackend green1;
    DemoBackend green2;
    ClusterGateway gw1;
    ClusterGateway gw2;
    TealController controller;

    @BeforeEach
    void setUp() throws Exception {
        cluster = new ClusterFixture();
        blue1 = cluster.backend("blue");
        green1 = cluster.backend("green");
        green2 = cluster.backend("green");
        cluster.colorSlice("blue", blue1, true);
        gw1 = cluster.gateway("gw1");
        gw2 = cluster.gateway("gw2");
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    private void activeOnBlue(String guard, Map<String, String> more) {
        controller = cluster.controller("controller-a", true);
        Map<String, String> annotations = new HashMap<>(more);
        annotations.put("teal.dev/active", "blue");
        annotations.put("teal.dev/guard", guard);
        cluster.front(annotations);
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        cluster.colorSlice("green", green1, true);
        cluster.colorSlice("green", green2, true);
    }

    @Test
    void greenAnsweringErrorsOnBothReplicasIsRolledBackAndTheUserCanRetry() throws Exception {
        ClusterObjects.deployment(cluster.client, "shop-blue", "shop", "blue", 2);
        activeOnBlue("errors<1%, window=5s, bake=6s, min-requests=100", Map.of("teal.dev/scale-down-delay", "0s"));
        green1.setFaults(5, 0);
        green2.setFaults(5, 0);
        Load load = cluster.track(new Load(List.of(gw1, gw2), 200_000, Duration.ofSeconds(90)));
        await().atMost(WAIT).until(() -> load.answered("blue") > 100);

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.RolledBack);

        CutoverStatus s = cluster.status();
        assertThat(s.serving()).isEqualTo("blue");
        assertThat(s.guard().result()).isEqualTo("rolled_back");
        assertThat(s.guard().from()).isEqualTo("blue");
        assertThat(s.guard().to()).isEqualTo("green");
        assertThat(s.guard().breach()).matches("errors \\d+\\.\\d\\d% >= 1\\.00%");
        assertThat(s.guard().figures()).startsWith("requests=");
        assertThat(s.message()).startsWith("rolled back from green to blue: errors ")
                .contains("2/2 gateway replicas reported")
                .endsWith("teal.dev/active still names green: set it to blue to accept, or change teal.dev/retry"
                        + " to try green again");
        Map<String, String> annotations = cluster.front().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("teal.dev/serving", "blue").containsEntry("teal.dev/active", "green");
        assertThat(cluster.front().getSpec().getSelector()).containsEntry("color", "blue");
        await().atMost(WAIT).until(() -> !cluster.events("CutoverRolledBack").isEmpty());
        assertThat(cluster.events("CutoverRolledBack")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).startsWith("cutover from blue to green rolled back: errors ")
                    .contains("requests=", "2/2 gateway replicas reported");
        });
        assertThat(controller.metrics().scrape()).contains("teal_controller_cutovers_total{result=\"rolled_back\",} 1.0");
        // the rollback used the calls a cutover uses (the chart's RBAC covers them; the mock checks none): the
        // annotations and selector of the front Service, the Ingress label, an Event; nothing on Deployments
        assertThat(cluster.api.calls()).as("the controller's writes")
                .filteredOn(c -> c.identity().startsWith("controller/") && !c.method().equals("GET"))
                .extracting(c -> c.method() + " " + c.path())
                .contains("POST /api/v1/namespaces/" + NS + "/events")
                .allMatch(c -> c.startsWith("PATCH /api/v1/namespaces/" + NS + "/services/")
                        || c.startsWith("PUT /api/v1/namespaces/" + NS + "/services/")
                        || c.startsWith("POST /api/v1/namespaces/" + NS + "/services")
                        || c.equals("POST /api/v1/namespaces/" + NS + "/events")
                        || c.startsWith("PATCH /apis/networking.k8s.io/v1/namespaces/" + NS + "/ingresses/")
                        || c.startsWith("PATCH /apis/coordination.k8s.io/v1/namespaces/")
                        || c.startsWith("PUT /apis/coordination.k8s.io/v1/namespaces/")
                        || c.startsWith("POST /apis/coordination.k8s.io/v1/namespaces/"));
        long greenBefore = load.answered("green");
        await().atMost(WAIT).until(() -> "blue".equals(cluster.answer(gw1)) && "blue".equals(cluster.answer(gw2)));
        assertThat(replicas("shop-blue")).as("the old color is never scaled down before the bake passed")
                .isEqualTo(2);
        // the rollback holds: nothing retries by itself
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> cluster.phase() == Phase.RolledBack);
        assertThat(load.answered("green") - greenBefore).as("no green answer once both replicas rolled back")
                .isLessThan(50);

        // the user fixes green and retries
        green1.setFaults(0, 0);
        green2.setFaults(0, 0);
        cluster.annotate("teal.dev/retry", "1");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Baking);
        assertThat(replicas("shop-blue")).as("not while baking").isEqualTo(2);
        await().atMost(WAIT).until(() -> cluster.activeOn("green"));
        assertThat(cluster.status().guard().result()).isEqualTo("passed");
        assertThat(cluster.status().message()).startsWith("serving green; guard passed (requests=");
        await().atMost(WAIT).until(() -> replicas("shop-blue") == 0);
        load.stop();
    }

    @Test
    void aBreachWhileTheOldColorStillDrainsRollsBackWithoutWaitingForTheDrain() throws Exception {
        activeOnBlue("errors<1%, window=5s, bake=60s, min-requests=100", Map.of("teal.dev/drain-timeout", "60s"));
        green1.setFaults(5, 0);
        green2.setFaults(5, 0);
        Load load = cluster.track(new Load(List.of(gw1, gw2), 200_000, Duration.ofSeconds(90)));
        await().atMost(WAIT).until(() -> load.answered("blue") > 100);
        CompletableFuture<HttpResponse<String>> held = cluster.http().sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gw1.gateway().proxyPort() + "/hold"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> blue1.heldRequests() == 1); // gw1 drains blue until it is released

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.RolledBack);

        assertThat(held).as("the drain of blue was still in progress: the guard did not wait for it").isNotDone();
        assertThat(cluster.status().guard().breach()).startsWith("errors ");
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
        assertThat(cluster.events("CutoverComplete")).as("the cutover to green was never confirmed")
                .noneMatch(e -> e.getMessage().contains("to green"));
        blue1.releaseHeld();
        assertThat(held.get().body().trim()).isEqualTo("blue");
        await().atMost(WAIT).until(() -> "blue".equals(cluster.answer(gw1)) && "blue".equals(cluster.answer(gw2)));
        load.stop();
    }

    @Test
    void tooLittleTrafficDuringTheBakeIsNotJudgedAndSaysSo() throws Exception {
        activeOnBlue("errors<1%, window=2s, bake=3s, min-requests=500", Map.of());
        green1.setFaults(100, 0);
        green2.setFaults(100, 0);

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Baking);
        cluster.answer(gw1); // one failing request: far below min-requests
        await().atMost(WAIT).until(() -> cluster.activeOn("green"));

        CutoverStatus s = cluster.status();
        assertThat(s.guard().result()).isEqualTo("not_judged");
        assertThat(s.message()).startsWith("serving green; guard not judged: fewer than 500 requests");
        await().atMost(WAIT).until(() -> !cluster.events("CutoverNotJudged").isEmpty());
        assertThat(cluster.events("CutoverNotJudged").get(0).getType()).isEqualTo("Warning");
        assertThat(cluster.events("CutoverGuardPassed")).isEmpty();
    }

    @Test
    void aBadGuardBlocksWithAWarningEventAndChangesNothing() throws Exception {
        activeOnBlue("errors<1%", Map.of());
        cluster.client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("teal.dev/guard", "errors<1%, p99<fast");
            s.getMetadata().getAnnotations().put("teal.dev/active", "green");
            return s;
        });

        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Blocked);
        assertThat(cluster.status().message()).isEqualTo(
                "teal.dev/guard: p99: 'fast' is not a duration (like 500ms, 30s, 2m, 1h)");
        await().atMost(WAIT).until(() -> !cluster.events("InvalidAnnotation").isEmpty());
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
        assertThat(cluster.answer(gw1)).isEqualTo("blue");
        assertThat(cluster.answer(gw2)).isEqualTo("blue");
    }

    private int replicas(String deployment) {
        return cluster.client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getReplicas();
    }
}
