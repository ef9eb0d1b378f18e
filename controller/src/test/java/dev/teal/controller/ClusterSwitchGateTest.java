package dev.teal.controller;

import static dev.teal.controller.testing.ClusterFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.controller.reconcile.Phase;
import dev.teal.controller.testing.ClusterFixture;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ClusterGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster-mode switch gate with {@code teal.dev/health-path}: ready endpoints are not enough, every gateway
 * replica's own health checks must find the target usable; and the per-service settings annotations are validated
 * like the others. Mock API server, real gateways in cluster mode, real backends, the controller.
 */
class ClusterSwitchGateTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Map<String, String> HEALTH = Map.of("teal.dev/active", "blue", "teal.dev/health-path", "/healthz",
            "teal.dev/health-interval", "100ms", "teal.dev/health-unhealthy-threshold", "1");

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
    void switchWaitsForTheGatewaysHealthChecksWhileReadyEndpointsAreNotEnough() throws Exception {
        cluster.front(HEALTH);
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        green.setHealthy(false);
        cluster.colorSlice("green", green, true); // Kubernetes calls it ready; its /healthz says 503
        await().atMost(WAIT).until(() -> status(gw1).contains("\"healthy\":false")
                && status(gw2).contains("\"healthy\":false"));

        cluster.annotate("teal.dev/active", "green");
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Waiting
                && cluster.status().message().contains("health checks"));
        assertThat(cluster.status().message()).startsWith("waiting for green: 1/1 ready endpoints in Service shop-green")
                .contains("gateways' health checks (/healthz): 0/2 gateway replicas");
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
        assertThat(cluster.answer(gw1)).isEqualTo("blue");
        assertThat(cluster.answer(gw2)).isEqualTo("blue");

        green.setHealthy(true);
        await().atMost(WAIT).until(() -> cluster.activeOn("green"));
        assertThat(cluster.answer(gw1)).isEqualTo("green");
        assertThat(cluster.answer(gw2)).isEqualTo("green");
    }

    @Test
    void waitingForReadyEndpointsSaysTheHealthChecksComeNext() {
        cluster.front(Map.of("teal.dev/active", "blue", "teal.dev/health-path", "/healthz"));
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        cluster.annotate("teal.dev/active", "green"); // green has no endpoint at all
        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Waiting);
        assertThat(cluster.status().message()).isEqualTo("waiting for green: 0/1 ready endpoints in Service shop-green;"
                + " then the gateways' health checks (/healthz)");
    }

    @Test
    void badServiceSettingAnnotationBlocksWithAWarningEventAndChangesNothing() throws Exception {
        cluster.front(Map.of("teal.dev/active", "blue", "teal.dev/max-inflight", "100"));
        await().atMost(WAIT).until(() -> cluster.activeOn("blue"));
        cluster.colorSlice("green", green, true);
        String selectorBefore = cluster.front().getSpec().getSelector().toString();

        cluster.client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("teal.dev/max-inflight", "lots");
            s.getMetadata().getAnnotations().put("teal.dev/active", "green");
            return s;
        });

        await().atMost(WAIT).until(() -> cluster.phase() == Phase.Blocked);
        assertThat(cluster.status().message())
                .isEqualTo("teal.dev/max-inflight: 'lots' is not a whole number within 0..10000000");
        await().atMost(WAIT).until(() -> !cluster.events("InvalidAnnotation").isEmpty());
        assertThat(cluster.events("InvalidAnnotation").get(0).getType()).isEqualTo("Warning");
        assertThat(cluster.front().getMetadata().getAnnotations()).containsEntry("teal.dev/serving", "blue");
        assertThat(cluster.front().getSpec().getSelector().toString()).isEqualTo(selectorBefore);
        assertThat(cluster.answer(gw1)).isEqualTo("blue");

        cluster.annotate("teal.dev/max-inflight", "50");
        await().atMost(WAIT).until(() -> cluster.activeOn("green"));
    }

    private String status(ClusterGateway gw) throws Exception {
        return cluster.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().adminPort()
                + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
