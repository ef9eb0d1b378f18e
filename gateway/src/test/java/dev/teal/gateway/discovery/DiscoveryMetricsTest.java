package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.ClusterHarness;
import dev.teal.gateway.testing.ClusterObjects;
import dev.teal.gateway.testing.RawClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code teal_discovery_*}: how far a cluster-mode gateway is behind the cluster. */
class DiscoveryMetricsTest {
    @TempDir
    Path dir;

    @Test
    void changesAreCountedUntilARebuildTakesThemUpAndItsWaitIsRecorded() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DiscoveryMeters meters = new DiscoveryMeters(registry);

        meters.changeQueued();
        meters.changeQueued();
        meters.changeQueued();
        assertThat(registry.get("teal.discovery.pending.changes").gauge().value()).isEqualTo(3);

        long started = meters.applyStarted();
        assertThat(meters.pending()).isZero();
        meters.changeQueued(); // arrives during the rebuild: waits for the next one
        meters.applyEnded(started);

        assertThat(meters.pending()).isEqualTo(1);
        assertThat(registry.get("teal.discovery.changes").counter().count()).isEqualTo(4);
        assertThat(registry.get("teal.discovery.queue").timer().count()).isEqualTo(1);
        assertThat(registry.get("teal.discovery.apply").timer().count()).isEqualTo(1);
        meters.applyEnded(meters.applyStarted());
        assertThat(registry.get("teal.discovery.queue").timer().count()).isEqualTo(2);
        assertThat(meters.applyStarted()).isPositive(); // nothing pending: no queue time recorded
        assertThat(registry.get("teal.discovery.queue").timer().count()).isEqualTo(2);
    }

    @Test
    void gatewayInClusterModeExportsApplyTimeQueueDelayAndPendingChanges() throws Exception {
        try (RestartableApiServer api = new RestartableApiServer();
             DemoBackend blue = DemoBackend.start("blue", 0)) {
            KubernetesClient client = api.client();
            client.services().inNamespace(NS).resource(ClusterObjects.front("shop",
                    Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue"))).create();
            client.network().v1().ingresses().inNamespace(NS).resource(
                    ClusterObjects.ingress("shop", "teal", ClusterGatewayTest.HOST, "shop")).create();
            client.discovery().v1().endpointSlices().inNamespace(NS).resource(ClusterObjects.slice("shop-blue",
                    "shop-blue-a", blue.port(), List.of(), List.of("127.0.0.1"))).create();
            try (ClusterGateway gw = ClusterGateway.start(client, new ClusterGateway.Settings(ClusterHarness.BASE,
                    NS, "teal", null, dir.resolve("snap.json"), Duration.ofSeconds(5)))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> metric(gw, "teal_discovery_apply_seconds_count") >= 1);
                double applies = metric(gw, "teal_discovery_apply_seconds_count");
                double changes = metric(gw, "teal_discovery_changes_total");

                // the endpoint becomes ready: one more change, taken up by a rebuild
                client.discovery().v1().endpointSlices().inNamespace(NS).resource(ClusterObjects.slice("shop-blue",
                        "shop-blue-a", blue.port(), List.of("127.0.0.1"), List.of())).update();
                await().atMost(Duration.ofSeconds(10)).until(() -> answer(gw).equals("blue"));
                await().atMost(Duration.ofSeconds(10)).until(() -> metric(gw, "teal_discovery_pending_changes") == 0
                        && metric(gw, "teal_discovery_apply_seconds_count") > applies);

                String text = scrape(gw);
                assertThat(metric(gw, "teal_discovery_changes_total")).isGreaterThan(changes);
                assertThat(metric(gw, "teal_discovery_queue_seconds_count")).isGreaterThanOrEqualTo(2);
                assertThat(text).contains("# HELP teal_discovery_apply_seconds Cluster mode: time to rebuild")
                        .contains("# HELP teal_discovery_pending_changes ")
                        .contains("# HELP teal_discovery_queue_seconds ")
                        .contains("teal_discovery_apply_seconds_bucket{le=\"0.001\",}");
            }
        }
    }

    private static String answer(ClusterGateway gw) throws Exception {
        try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
            RawClient.Response r = c.get("/", ClusterGatewayTest.HOST);
            return r.status() == 200 ? r.text().trim() : "status " + r.status();
        }
    }

    private static String scrape(ClusterGateway gw) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + gw.gateway().adminPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double metric(ClusterGateway gw, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scrape(gw));
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
