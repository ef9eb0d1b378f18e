package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.ClusterHarness;
import dev.teal.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** In cluster mode the cluster is the source: /status and /config say so, and a reload has nothing to re-read. */
class ClusterOperatorEndpointsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void sourceIsKubernetesAndReloadIsAConflict() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (RestartableApiServer api = new RestartableApiServer(); KubernetesClient client = api.client();
             DemoBackend blue = DemoBackend.start("blue", 0)) {
            client.services().inNamespace(NS).resource(ClusterObjects.front("shop",
                    Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue"))).create();
            client.network().v1().ingresses().inNamespace(NS).resource(
                    ClusterObjects.ingress("shop", "teal", "shop.example.com", "shop")).create();
            client.discovery().v1().endpointSlices().inNamespace(NS).resource(ClusterObjects.slice("shop-blue",
                    "shop-blue-" + blue.port(), blue.port(), List.of("127.0.0.1"), List.of())).create();
            try (ClusterGateway gw = ClusterGateway.start(client, new ClusterGateway.Settings(
                    ClusterHarness.BASE, NS, "teal", null, dir.resolve("snap.json"), Duration.ofSeconds(5)))) {
                String admin = "http://127.0.0.1:" + gw.gateway().adminPort();
                await().atMost(Duration.ofSeconds(20)).until(() -> JSON.readTree(send(http, admin + "/status", false)
                        .body()).get("services").size() == 1);
                JsonNode service = JSON.readTree(send(http, admin + "/status", false).body()).get("services")
                        .properties().iterator().next().getValue();
                assertThat(service.get("source").asString()).isEqualTo("kubernetes");
                assertThat(JSON.readTree(send(http, admin + "/config", false).body()).get("source").asString())
                        .isEqualTo("kubernetes");
                HttpResponse<String> reload = send(http, admin + "/reload", true);
                assertThat(reload.statusCode()).isEqualTo(409);
                assertThat(reload.body()).contains("not reloadable", "Kubernetes mode");
                await().atMost(Duration.ofSeconds(10)).until(() -> java.nio.file.Files.exists(dir.resolve("snap.json")));
            }
            // started from the snapshot file alone (API server unreachable): the source is still the cluster
            try (KubernetesClient unreachable = unreachableClient();
                 ClusterGateway gw = ClusterGateway.start(unreachable, new ClusterGateway.Settings(
                         ClusterHarness.BASE, NS, "teal", null, dir.resolve("snap.json"), Duration.ofSeconds(1)))) {
                String admin = "http://127.0.0.1:" + gw.gateway().adminPort();
                JsonNode services = JSON.readTree(send(http, admin + "/status", false).body()).get("services");
                assertThat(services.size()).isEqualTo(1);
                assertThat(services.properties().iterator().next().getValue().get("source").asString())
                        .isEqualTo("kubernetes");
            }
        }
    }

    private static KubernetesClient unreachableClient() throws Exception {
        int dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("http://127.0.0.1:" + dead)
                        .withNamespace(NS).withRequestTimeout(1000).withConnectionTimeout(500).build()).build();
    }

    private static HttpResponse<String> send(HttpClient http, String url, boolean post) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        return http.send((post ? b.POST(HttpRequest.BodyPublishers.noBody()) : b).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
