package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.ClusterHarness;
import dev.teal.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code teal.dev/preview*} and {@code teal.dev/sticky} on a front Service, applied by a real gateway in cluster mode
 * against the mock API server (no controller: the test plays it), and kept in the snapshot file a gateway starts from
 * when the API server is down.
 */
class ClusterPreviewSettingsTest {
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();
    final KubernetesClient client = cluster.client;

    @Test
    void previewAnnotationsRouteByHeaderWithTheirNamesAndSurviveInTheSnapshot() throws Exception {
        DemoBackend blue = cluster.backend("blue");
        DemoBackend green = cluster.backend("green");
        Map<String, String> a = new HashMap<>(Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue",
                "teal.dev/preview", "true", "teal.dev/preview-header", "X-Preview",
                "teal.dev/preview-from", "127.0.0.1", "teal.dev/sticky", "true"));
        client.services().inNamespace(NS).resource(ClusterObjects.front("shop", a)).create();
        client.network().v1().ingresses().inNamespace(NS).resource(ClusterObjects.ingress("shop", "teal", null, "shop"))
                .create();
        for (DemoBackend b : List.of(blue, green)) {
            client.discovery().v1().endpointSlices().inNamespace(NS).resource(ClusterObjects.slice("shop-" + b.color(),
                    "shop-" + b.color() + "-" + b.port(), b.port(), List.of("127.0.0.1"), List.of())).create();
        }
        KubernetesClient own = cluster.closeLater(cluster.api.client("gateway"));
        ClusterGateway gw = cluster.start(own, NS, dir.resolve("snap.json"), Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> get(gw, "X-Preview", "green").body().equals("green\n"));
        HttpResponse<String> plain = get(gw, "X-Teal-Color", "green");
        assertThat(plain.body()).as("the default header name means nothing here").isEqualTo("blue\n");
        assertThat(plain.headers().firstValue("set-cookie")).hasValue("teal-v=blue; HttpOnly; SameSite=Lax; Path=/");
        assertThat(get(gw, "X-Preview", "nope").statusCode()).isEqualTo(503);
        assertThat(green.lastHeaders().contains("X-Preview")).isFalse();
        await().atMost(WAIT).until(() -> Files.readString(dir.resolve("snap.json")).contains("\"x-preview\""));
        assertThat(Files.readString(dir.resolve("snap.json"))).contains("\"sticky\" : true")
                .contains("\"127.0.0.1\"");
        var loaded = new SnapshotFile(dir.resolve("snap.json")).load().services().get("shop." + NS);
        assertThat(loaded.preview()).isEqualTo(gw.gateway().config().services().get("shop." + NS).preview());
        assertThat(loaded.sticky()).isTrue();
    }

    private HttpResponse<String> get(ClusterGateway gw, String header, String value) throws Exception {
        return cluster.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().proxyPort() + "/"))
                .header(header, value).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
