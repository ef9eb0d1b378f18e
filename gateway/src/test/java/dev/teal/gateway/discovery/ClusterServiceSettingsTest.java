package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.ClusterHarness;
import dev.teal.gateway.testing.ClusterObjects;
import dev.teal.gateway.testing.RawClient;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode has what a standalone service has: {@code teal.dev/health-path} (and its interval and thresholds),
 * {@code teal.dev/max-body-size}, {@code teal.dev/max-inflight} and {@code teal.dev/backend-protocol} on the front
 * Service, applied by a real gateway in cluster mode against the mock API server, proven with real backends and real
 * requests on 127.0.0.1.
 */
class ClusterServiceSettingsTest {
    static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();
    final KubernetesClient client = cluster.client;

    @Test
    void healthPathAnnotationRunsHealthChecksAndAnUnhealthyEndpointGetsNoRequests() throws Exception {
        DemoBackend sick = backend("sick");
        DemoBackend well = backend("well");
        shop(Map.of("teal.dev/health-path", "/healthz", "teal.dev/health-interval", "100ms",
                "teal.dev/health-unhealthy-threshold", "1"), sick, well);
        ClusterGateway gw = start();
        await().atMost(WAIT).until(() -> answers(gw, 6).containsAll(List.of("sick", "well")));

        sick.setHealthy(false);
        await().atMost(WAIT).until(() -> answers(gw, 10).equals(List.of("well")));
        long before = sick.requests();
        List<String> seen = answers(gw, 20);
        assertThat(seen).containsOnly("well");
        assertThat(status(gw)).contains("\"healthy\":false");
        await().atMost(WAIT).until(() -> sick.requests() > before); // it is still checked, only not routed to

        sick.setHealthy(true);
        await().atMost(WAIT).until(() -> answers(gw, 6).contains("sick"));
    }

    @Test
    void maxBodySizeAndMaxInflightAnnotationsAreEnforcedAndKeptInTheSnapshot() throws Exception {
        DemoBackend blue = backend("blue");
        shop(Map.of("teal.dev/max-body-size", "1KiB", "teal.dev/max-inflight", "1"), blue);
        ClusterGateway gw = start();
        await().atMost(WAIT).until(() -> postStatus(gw, 2048) == 413);
        assertThat(postStatus(gw, 512)).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> slow = slowRequest(gw, blue, 3000);
        assertThat(get(gw).status()).as("over max-inflight: 503 at once").isEqualTo(503);
        assertThat(slow.get().statusCode()).isEqualTo(200);
        assertThat(get(gw).status()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("snap.json"))).contains("\"maxInflight\" : 1")
                .contains("\"maxBodySize\" : 1024");
    }

    @Test
    void badAnnotationValueChangesNothingInTheGateway() throws Exception {
        DemoBackend blue = backend("blue");
        shop(Map.of("teal.dev/max-inflight", "1"), blue);
        ClusterGateway gw = start();
        await().atMost(WAIT).until(() -> {
            CompletableFuture<HttpResponse<String>> slow = slowRequest(gw, blue, 1500);
            try {
                return get(gw).status() == 503;
            } finally {
                slow.get();
            }
        });

        String version = annotate("teal.dev/max-inflight", "lots");
        await().atMost(WAIT).until(() -> status(gw).contains("\"resourceVersion\":\"" + version + "\""));
        CompletableFuture<HttpResponse<String>> slow = slowRequest(gw, blue, 3000);
        assertThat(get(gw).status()).as("the last valid max-inflight still holds").isEqualTo(503);
        assertThat(slow.get().statusCode()).isEqualTo(200);
    }

    @Test
    void backendProtocolAnnotationSpeaksH2cToThePodsAndABadValueKeepsIt() throws Exception {
        DemoBackend blue = backend("blue"); // speaks HTTP/1.1 only: an h2c connection to it fails, so 502
        shop(Map.of("teal.dev/backend-protocol", "h2c"), blue);
        ClusterGateway gw = start();
        await().atMost(WAIT).until(() -> get(gw).status() == 502);
        assertThat(Files.readString(dir.resolve("snap.json"))).contains("\"protocol\" : \"h2c\"");

        String version = annotate("teal.dev/backend-protocol", "h3");
        await().atMost(WAIT).until(() -> status(gw).contains("\"resourceVersion\":\"" + version + "\""));
        assertThat(get(gw).status()).as("the last valid backend-protocol still holds").isEqualTo(502);

        annotate("teal.dev/backend-protocol", "http");
        await().atMost(WAIT).until(() -> get(gw).status() == 200);
        assertThat(get(gw).text().trim()).isEqualTo("blue");
    }

    // ---- helpers

    private ClusterGateway start() throws InterruptedException {
        KubernetesClient own = cluster.closeLater(cluster.api.client("gateway"));
        return cluster.start(own, NS, dir.resolve("snap.json"), Duration.ofSeconds(5));
    }

    private DemoBackend backend(String name) throws InterruptedException {
        return cluster.backend(name);
    }

    /** Front Service shop (serving blue) with these annotations, the default Ingress, one blue slice per backend. */
    private void shop(Map<String, String> annotations, DemoBackend... blue) {
        Map<String, String> all = new HashMap<>(annotations);
        all.put("teal.dev/active", "blue");
        all.put("teal.dev/serving", "blue");
        client.services().inNamespace(NS).resource(ClusterObjects.front("shop", all)).create();
        client.network().v1().ingresses().inNamespace(NS).resource(ClusterObjects.ingress("shop", "teal", null, "shop"))
                .create();
        for (DemoBackend b : blue) {
            client.discovery().v1().endpointSlices().inNamespace(NS).resource(ClusterObjects.slice("shop-blue",
                    "shop-blue-" + b.port(), b.port(), List.of("127.0.0.1"), List.of())).create();
        }
    }

    /** Sets one annotation; returns the Service's new resourceVersion. */
    private String annotate(String key, String value) {
        return client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put(key, value);
            return s;
        }).getMetadata().getResourceVersion();
    }

    /** The bodies of {@code n} GET / through the gateway, each on a new connection. */
    private static List<String> answers(ClusterGateway gw, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RawClient.Response r = get(gw);
            String body = r.status() == 200 ? r.text().trim() : "status " + r.status();
            if (!out.contains(body)) {
                out.add(body);
            }
        }
        return out;
    }

    private static RawClient.Response get(ClusterGateway gw) throws Exception {
        try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
            return c.get("/", "shop.example.com");
        }
    }

    private static int postStatus(ClusterGateway gw, int bytes) throws Exception {
        try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
            c.send("POST /echo HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: " + bytes + "\r\n\r\n"
                    + "x".repeat(bytes));
            return c.read().status();
        }
    }

    /** Starts GET /slow?ms=N through the gateway and returns once the backend holds it. */
    private CompletableFuture<HttpResponse<String>> slowRequest(ClusterGateway gw, DemoBackend b, int ms) {
        long before = b.requests();
        CompletableFuture<HttpResponse<String>> f = cluster.http.sendAsync(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + gw.gateway().proxyPort() + "/slow?ms=" + ms)).timeout(Duration.ofSeconds(20))
                .build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> b.requests() > before);
        return f;
    }

    private String status(ClusterGateway gw) throws Exception {
        return cluster.admin(gw, "/status").body();
    }
}
