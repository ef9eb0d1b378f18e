package dev.teal.controller;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.contract.HostPort;
import dev.teal.controller.election.LeaderElection;
import dev.teal.controller.reconcile.CutoverStatus;
import dev.teal.controller.reconcile.Phase;
import dev.teal.gateway.testing.ClusterObjects;
import dev.teal.controller.testing.StandInGateway;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The whole controller: Lease, informers, work queue, metrics listener; stand-in gateway replicas. */
@EnableKubernetesMockClient(crud = true)
class TealControllerTest {
    /** Upper bounds only: leader election and reconciles take seconds on a loaded 2-core machine. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    static final String GW_NS = "teal-system";
    static final String KEY = "shop." + NS;
    static final LeaderElection.Timing FAST = new LeaderElection.Timing(Duration.ofMillis(2000),
            Duration.ofMillis(1500), Duration.ofMillis(250), true);

    KubernetesMockServer server;
    KubernetesClient client;
    final List<AutoCloseable> closeLater = new ArrayList<>();
    final StandInGateway gateway = new StandInGateway();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
        gateway.close();
    }

    @Test
    void standbyTakesOverAndFinishesACutoverWhenTheLeaderIsLost() {
        KubernetesClient clientA = server.createClient();
        KubernetesClient clientB = server.createClient();
        closeLater.add(clientA);
        closeLater.add(clientB);
        // the leader dies without releasing its Lease, as a killed pod would
        TealController a = start(clientA, "controller-a", new LeaderElection.Timing(FAST.leaseDuration(),
                FAST.renewDeadline(), FAST.retryPeriod(), false));
        await().atMost(WAIT).until(a::isLeader);
        TealController b = start(clientB, "controller-b", FAST);
        closeLater.add(b);
        StandInGateway.publish(client, GW_NS, "teal-gateway-admin", gateway);
        gateway.serve(KEY, "blue", null);
        ClusterObjects.slice(client, NS, "shop-green", "shop-green-a", 8080, "http", List.of("10.0.2.1"), List.of());
        ClusterObjects.front(client, "shop", Map.of("teal.dev/active", "green", "teal.dev/serving", "blue"));

        await().atMost(WAIT).until(() -> phase() == Phase.Switching);
        a.close();
        gateway.serve(KEY, "green", null); // the data plane switched meanwhile

        await().atMost(WAIT).until(() -> phase() == Phase.Active);
        assertThat(b.isLeader()).isTrue();
        assertThat(a.isLeader()).isFalse();
        assertThat(client.leases().inNamespace(GW_NS).withName("teal-controller").get().getSpec()
                .getHolderIdentity()).isEqualTo("controller-b");
        assertThat(front().getSpec().getSelector()).containsEntry("color", "green");
        assertThat(client.v1().events().inNamespace(NS).list().getItems())
                .filteredOn(e -> "CutoverComplete".equals(e.getReason())).singleElement()
                .satisfies(e -> assertThat(e.getSource().getHost()).isEqualTo("controller-b"));
        assertThat(b.metrics().scrape()).contains("teal_controller_leader 1.0")
                .contains("teal_controller_cutovers_total{result=\"completed\",} 1.0");
        assertThat(a.metrics().scrape()).contains("teal_controller_leader 0.0");
    }

    @Test
    void userChangeIsPickedUpByTheInformerAndCutoverCompletes() throws Exception {
        TealController c = start(client, "only", FAST);
        closeLater.add(c);
        StandInGateway.publish(client, GW_NS, "teal-gateway-admin", gateway);
        gateway.serve(KEY, "blue", null);
        ClusterObjects.slice(client, NS, "shop-blue", "shop-blue-a", 8080, "http", List.of("10.0.1.1"), List.of());
        ClusterObjects.front(client, "shop", Map.of("teal.dev/active", "blue"));
        await().atMost(WAIT).until(() -> phase() == Phase.Active);

        client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("teal.dev/active", "green");
            return s;
        });
        await().atMost(WAIT).until(() -> phase() == Phase.Waiting);
        ClusterObjects.slice(client, NS, "shop-green", "shop-green-a", 8080, "http", List.of("10.0.2.1"), List.of());
        await().atMost(WAIT).until(() -> phase() == Phase.Switching);
        gateway.serve(KEY, "green", null);
        await().atMost(WAIT).until(() -> phase() == Phase.Active
                && "green".equals(front().getSpec().getSelector().get("color")));

        String metrics = get("http://127.0.0.1:" + c.metricsPort() + "/metrics");
        assertThat(metrics)
                .contains("# HELP teal_controller_cutovers_total ")
                .contains("teal_controller_cutovers_total{result=\"completed\",} 2.0")
                .contains("# HELP teal_controller_phase_seconds ")
                .contains("teal_controller_phase_seconds_bucket{phase=\"Waiting\",le=")
                .contains("# HELP teal_controller_reconcile_errors_total ")
                .contains("teal_controller_leader 1.0")
                .contains("teal_controller_cutover_phase{namespace=\"shop-ns\",phase=\"Active\",service=\"shop\",} 1.0")
                .contains("teal_controller_cutover_phase{namespace=\"shop-ns\",phase=\"Waiting\",service=\"shop\",} 0.0");
        assertThat(get("http://127.0.0.1:" + c.metricsPort() + "/healthz")).isEqualTo("ok\n");
    }

    private TealController start(KubernetesClient k, String identity, LeaderElection.Timing timing) {
        return TealController.start(k, ControllerSettings.builder().gatewayNamespace(GW_NS).identity(identity)
                .metricsListen(new HostPort("127.0.0.1", 0)).election(timing)
                .probeTimeout(Duration.ofSeconds(1)).build());
    }

    private Service front() {
        return client.services().inNamespace(NS).withName("shop").get();
    }

    private Phase phase() {
        Service s = front();
        if (s == null || s.getMetadata().getAnnotations() == null) {
            return null;
        }
        CutoverStatus status = CutoverStatus.parse(s.getMetadata().getAnnotations().get("teal.dev/status"));
        return status == null ? null : status.phase();
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
