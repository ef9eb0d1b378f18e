package dev.teal.controller.reconcile;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.controller.cluster.ClusterClient;
import dev.teal.controller.cutover.CutoverConfirmer;
import dev.teal.controller.cutover.GatewayReplicas;
import dev.teal.controller.cutover.ReplicaProbe;
import dev.teal.controller.metrics.ControllerMetrics;
import dev.teal.gateway.testing.ClusterObjects;
import dev.teal.controller.testing.MutableClock;
import dev.teal.controller.testing.StandInGateway;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cutover state machine, one reconcile at a time, against the fabric8 mock API server in CRUD mode and stand-in
 * gateway admin listeners on 127.0.0.1.
 */
@EnableKubernetesMockClient(crud = true)
class FrontServiceReconcilerTest {
    static final String GW_NS = "teal-system";
    static final String ADMIN = "teal-gateway-admin";
    static final String KEY = "shop." + NS;

    KubernetesClient client;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    ControllerMetrics metrics = new ControllerMetrics();
    ReplicaProbe probe = new ReplicaProbe(Duration.ofSeconds(1));
    StandInGateway g1 = new StandInGateway();
    StandInGateway g2 = new StandInGateway();
    FrontServiceReconciler reconciler;

    @BeforeEach
    void setUp() {
        ClusterClient cluster = new ClusterClient(client, clock, "test");
        reconciler = new FrontServiceReconciler(cluster,
                new CutoverConfirmer(new GatewayReplicas(cluster, GW_NS, ADMIN, 9901), probe), metrics, clock);
    }

    @AfterEach
    void tearDown() {
        g1.close();
        g2.close();
    }

    @Test
    void cutoverWaitsUntilGreenHasMinReadyEndpoints() {
        frontSwitchingBlueToGreen(Map.of("teal.dev/min-ready", "2"));
        ClusterObjects.slice(client, NS, "shop-green", "shop-green-a", 8080, "http", List.of("10.0.0.1"),
                List.of("10.0.0.2"));

        Duration again = reconciler.reconcile(NS, "shop");

        assertThat(status().phase()).isEqualTo(Phase.Waiting);
        assertThat(status().message()).contains("1/2 ready endpoints").contains("shop-green");
        assertThat(annotation("teal.dev/serving")).isEqualTo("blue");
        assertThat(again).isEqualTo(FrontServiceReconciler.WAITING_POLL);

        ClusterObjects.slice(client, NS, "shop-green", "shop-green-a", 8080, "http", List.of("10.0.0.1", "10.0.0.2"),
                List.of());
        reconciler.reconcile(NS, "shop");

        assertThat(annotation("teal.dev/serving")).isEqualTo("green");
        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(status().cutover().from()).isEqualTo("blue");
        assertThat(status().cutover().switchedAt()).isNotNull();
    }

    @Test
    void perColorServicesSelectFrontSelectorPlusColorAndAreOwnedByTheFront() {
        Service front = frontSwitchingBlueToGreen(Map.of());

        reconciler.reconcile(NS, "shop");

        for (String color : List.of("blue", "green")) {
            Service s = client.services().inNamespace(NS).withName("shop-" + color).get();
            assertThat(s.getSpec().getSelector()).isEqualTo(Map.of("app", "shop", "color", color));
            assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(80);
                assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080);
            });
            assertThat(s.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
                assertThat(o.getUid()).isEqualTo(front.getMetadata().getUid());
                assertThat(o.getKind()).isEqualTo("Service");
                assertThat(o.getController()).isTrue();
            });
        }
    }

    @Test
    void confirmsOnEveryReplicaBeforeTouchingTheSelector() {
        frontSwitchingBlueToGreen(Map.of());
        greenReady();
        ClusterObjects.ingress(client, "shop", "shop.example.com", "shop");
        ClusterObjects.ingress(client, "other", "other.example.com", "other");
        StandInGateway.publish(client, GW_NS, ADMIN, g1, g2);
        g1.serve(KEY, "blue", null);
        g2.serve(KEY, "blue", null);

        reconciler.reconcile(NS, "shop");
        assertThat(annotation("teal.dev/serving")).isEqualTo("green");
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(status().message()).contains("0/2 gateway replicas serve green")
                .contains("127.0.0.1:" + g1.port() + " serves blue");

        g1.serve(KEY, "green", "blue");
        g2.serve(KEY, "green", null);
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Draining);
        assertThat(status().message()).contains("127.0.0.1:" + g1.port() + " serves green, draining blue")
                .doesNotContain(":" + g2.port());
        assertThat(front().getSpec().getSelector()).isEqualTo(Map.of("app", "shop", "color", "blue"));
        assertThat(events("CutoverComplete")).isEmpty();

        g1.serve(KEY, "green", null);
        clock.advance(Duration.ofMillis(3200));
        Duration again = reconciler.reconcile(NS, "shop");

        assertThat(again).isNull();
        assertThat(status().phase()).isEqualTo(Phase.Active);
        assertThat(status().serving()).isEqualTo("green");
        assertThat(status().cutover()).isNull();
        assertThat(status().lastCutover().replicas()).isEqualTo(2);
        assertThat(status().lastCutover().seconds()).isEqualTo(3.2);
        assertThat(front().getSpec().getSelector()).isEqualTo(Map.of("app", "shop", "color", "green"));
        assertThat(front().getMetadata().getLabels()).containsEntry("teal.dev/active-color", "green");
        assertThat(client.network().v1().ingresses().inNamespace(NS).withName("shop").get().getMetadata()
                .getLabels()).containsEntry("teal.dev/active-color", "green");
        assertThat(client.network().v1().ingresses().inNamespace(NS).withName("other").get().getMetadata()
                .getLabels()).isNullOrEmpty();
        assertThat(events("CutoverComplete")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getMessage()).isEqualTo(
                    "cutover from blue to green complete in 3.2s; 2 gateway replicas confirmed");
        });
        assertThat(metrics.scrape()).contains("teal_controller_cutovers_total{result=\"completed\",} 1.0");

        String rv = front().getMetadata().getResourceVersion();
        reconciler.reconcile(NS, "shop");
        assertThat(front().getMetadata().getResourceVersion()).as("a second reconcile writes nothing").isEqualTo(rv);
    }

    @Test
    void unreachableReplicaIsReportedAndNeverCountedAsConfirmed() {
        frontSwitchingBlueToGreen(Map.of("teal.dev/drain-timeout", "5s"));
        greenReady();
        StandInGateway.publish(client, GW_NS, ADMIN, g1, g2);
        g1.serve(KEY, "green", null);
        g2.close();
        reconciler.reconcile(NS, "shop");
        clock.advance(Duration.ofMinutes(5));
        reconciler.reconcile(NS, "shop");

        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(status().message()).contains("127.0.0.1:" + g2.port() + " unreachable");
        assertThat(front().getSpec().getSelector()).containsEntry("color", "blue");
    }

    @Test
    void withoutAnyGatewayReplicaNothingIsConfirmed() {
        frontSwitchingBlueToGreen(Map.of());
        greenReady();

        reconciler.reconcile(NS, "shop");
        reconciler.reconcile(NS, "shop");

        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(status().message()).contains("no gateway replica found").contains(GW_NS + "/" + ADMIN);
        assertThat(front().getSpec().getSelector()).containsEntry("color", "blue");
    }

    @Test
    void replicaStillDrainingCountsAsConfirmedOnceTheDrainTimeoutHasPassed() {
        frontSwitchingBlueToGreen(Map.of("teal.dev/drain-timeout", "10s"));
        greenReady();
        StandInGateway.publish(client, GW_NS, ADMIN, g1);
        g1.serve(KEY, "green", "blue");

        reconciler.reconcile(NS, "shop");
        clock.advance(Duration.ofSeconds(10));
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Draining);

        clock.advance(FrontServiceReconciler.DRAIN_GRACE);
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Active);
        assertThat(status().message()).contains("drain timeout passed");
    }

    @Test
    void badAnnotationBlocksWithWarningEventAndChangesNothingElse() {
        frontSwitchingBlueToGreen(Map.of("teal.dev/min-ready", "lots"));
        greenReady();
        StandInGateway.publish(client, GW_NS, ADMIN, g1);
        Service before = front();

        reconciler.reconcile(NS, "shop");
        reconciler.reconcile(NS, "shop");

        assertThat(status().phase()).isEqualTo(Phase.Blocked);
        assertThat(status().message()).isEqualTo("teal.dev/min-ready: 'lots' is not a whole number within 0..10000");
        assertThat(events("InvalidAnnotation")).singleElement()
                .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertThat(annotation("teal.dev/serving")).isEqualTo("blue");
        assertThat(front().getSpec().getSelector()).isEqualTo(Map.of("app", "shop", "color", "blue"));
        assertThat(client.services().inNamespace(NS).withName("shop-green").get()).isNull();
        assertThat(g1.requests()).isZero();
        Map<String, String> annotationsBefore = new HashMap<>(before.getMetadata().getAnnotations());
        Map<String, String> annotationsAfter = new HashMap<>(front().getMetadata().getAnnotations());
        annotationsBefore.remove("teal.dev/status");
        annotationsAfter.remove("teal.dev/status");
        assertThat(annotationsAfter).as("only the status changed").isEqualTo(annotationsBefore);
        assertThat(front().getSpec()).isEqualTo(before.getSpec());
        assertThat(front().getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());

        annotate("teal.dev/min-ready", "1");
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(annotation("teal.dev/serving")).isEqualTo("green");
    }

    @Test
    void badColorNameIsReportedWithTheAnnotationName() {
        ClusterObjects.front(client, "shop", Map.of("teal.dev/active", "Green!"));

        reconciler.reconcile(NS, "shop");

        assertThat(status().phase()).isEqualTo(Phase.Blocked);
        assertThat(status().message()).startsWith("teal.dev/active: 'Green!' is not a valid color name");
        assertThat(client.services().inNamespace(NS).list().getItems()).hasSize(1);
    }

    @Test
    void changeDuringCutoverWins() {
        frontSwitchingBlueToGreen(Map.of());
        greenReady();
        ClusterObjects.slice(client, NS, "shop-blue", "shop-blue-a", 8080, "http", List.of("10.0.1.1"), List.of());
        StandInGateway.publish(client, GW_NS, ADMIN, g1);
        g1.serve(KEY, "green", "blue");
        reconciler.reconcile(NS, "shop");
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Draining);

        annotate("teal.dev/active", "blue"); // the user rolls back mid-cutover
        reconciler.reconcile(NS, "shop");

        assertThat(annotation("teal.dev/serving")).isEqualTo("blue");
        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(status().cutover().from()).isEqualTo("green");
        assertThat(status().cutover().to()).isEqualTo("blue");
        assertThat(metrics.scrape()).contains("teal_controller_cutovers_total{result=\"superseded\",} 1.0");

        g1.serve(KEY, "blue", null);
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Active);
        assertThat(front().getSpec().getSelector()).containsEntry("color", "blue");
        assertThat(events("CutoverComplete")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).startsWith("cutover from green to blue complete"));
    }

    @Test
    void scaleDownOnlyAfterConfirmationAndTheDelay() {
        frontSwitchingBlueToGreen(Map.of("teal.dev/scale-down-delay", "5m"));
        greenReady();
        ClusterObjects.deployment(client, "shop-blue", "shop", "blue", 3);
        ClusterObjects.deployment(client, "shop-green", "shop", "green", 3);
        ClusterObjects.deployment(client, "cart-blue", "cart", "blue", 2);
        StandInGateway.publish(client, GW_NS, ADMIN, g1);
        g1.serve(KEY, "green", "blue");

        reconciler.reconcile(NS, "shop");
        clock.advance(Duration.ofSeconds(20));
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Draining);
        assertThat(replicas("shop-blue")).as("never before confirmation").isEqualTo(3);
        g1.forget(KEY); // the replica restarts and has not seen the service yet: still no confirmation
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(replicas("shop-blue")).as("never before confirmation").isEqualTo(3);

        g1.serve(KEY, "green", null);
        Duration again = reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Active);
        assertThat(again).isEqualTo(Duration.ofMinutes(5));
        assertThat(status().scaleDown().color()).isEqualTo("blue");
        assertThat(replicas("shop-blue")).as("not before the delay").isEqualTo(3);

        clock.advance(Duration.ofMinutes(4));
        assertThat(reconciler.reconcile(NS, "shop")).isEqualTo(Duration.ofMinutes(1));
        assertThat(replicas("shop-blue")).isEqualTo(3);

        clock.advance(Duration.ofMinutes(1));
        assertThat(reconciler.reconcile(NS, "shop")).isNull();
        assertThat(replicas("shop-blue")).isZero();
        assertThat(replicas("shop-green")).isEqualTo(3);
        assertThat(replicas("cart-blue")).isEqualTo(2);
        assertThat(status().scaleDown()).isNull();
        assertThat(events("ScaledDown")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).contains("shop-blue").contains("blue"));
    }

    @Test
    void firstCutoverOfANewServiceIsConfirmedBeforeTheSelectorGetsAColor() {
        ClusterObjects.front(client, "shop", Map.of("teal.dev/active", "blue"));
        ClusterObjects.slice(client, NS, "shop-blue", "shop-blue-a", 8080, "http", List.of("10.0.1.1"), List.of());
        StandInGateway.publish(client, GW_NS, ADMIN, g1);

        reconciler.reconcile(NS, "shop");
        assertThat(annotation("teal.dev/serving")).isEqualTo("blue");
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Switching);
        assertThat(status().message()).contains("does not know the service yet");
        assertThat(front().getSpec().getSelector()).isEqualTo(Map.of("app", "shop"));

        g1.serve(KEY, "blue", null);
        reconciler.reconcile(NS, "shop");
        assertThat(status().phase()).isEqualTo(Phase.Active);
        assertThat(front().getSpec().getSelector()).containsEntry("color", "blue");
        assertThat(events("CutoverComplete")).singleElement()
                .satisfies(e -> assertThat(e.getMessage()).startsWith("cutover to blue complete"));
    }

    @Test
    void serviceWithoutTheActiveAnnotationIsLeftAlone() {
        ClusterObjects.front(client, "shop", Map.of("teal.dev/min-ready", "nonsense"));

        assertThat(reconciler.reconcile(NS, "shop")).isNull();
        assertThat(reconciler.reconcile(NS, "missing")).isNull();

        assertThat(annotation("teal.dev/status")).isNull();
        assertThat(client.services().inNamespace(NS).list().getItems()).hasSize(1);
    }

    // ---- helpers

    /** The front Service {@code shop}, serving blue (selector has color: blue), and the user asks for green. */
    private Service frontSwitchingBlueToGreen(Map<String, String> more) {
        Map<String, String> annotations = new HashMap<>(more);
        annotations.put("teal.dev/active", "green");
        annotations.put("teal.dev/serving", "blue");
        annotations.put("teal.dev/status", new CutoverStatus(Phase.Active, "blue", "serving blue",
                clock.instant().minusSeconds(60), null, null, null).toJson());
        ClusterObjects.front(client, "shop", annotations);
        return client.services().inNamespace(NS).withName("shop").edit(x -> {
            x.getSpec().getSelector().put("color", "blue");
            return x;
        });
    }

    private void greenReady() {
        ClusterObjects.slice(client, NS, "shop-green", "shop-green-a", 8080, "http", List.of("10.0.2.1"), List.of());
    }

    private Service front() {
        return client.services().inNamespace(NS).withName("shop").get();
    }

    private String annotation(String key) {
        Map<String, String> a = front().getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }

    private CutoverStatus status() {
        return CutoverStatus.parse(annotation("teal.dev/status"));
    }

    private void annotate(String key, String value) {
        client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put(key, value);
            return s;
        });
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    private int replicas(String deployment) {
        return client.apps().deployments().inNamespace(NS).withName(deployment).get().getSpec().getReplicas();
    }
}
