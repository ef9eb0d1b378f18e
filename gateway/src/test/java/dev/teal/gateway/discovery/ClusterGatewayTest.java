package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.ClusterHarness;
import dev.teal.gateway.testing.ClusterObjects;
import dev.teal.gateway.testing.RawClient;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A real gateway in cluster mode against the mock API server (CRUD), with real backends on 127.0.0.1. */
class ClusterGatewayTest {
    static final String HOST = "shop.example.com";

    @TempDir
    Path dir;
    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();
    final KubernetesClient client = cluster.client;

    @Test
    void followsTheServingAnnotationAndSwitchesWhenItChanges() throws Exception {
        DemoBackend blue = backend("blue");
        DemoBackend green = backend("green");
        shop(Map.of("teal.dev/active", "green", "teal.dev/serving", "blue"));
        slice("shop-blue", blue, true);
        slice("shop-green", green, true);
        ClusterGateway gw = start(client, dir.resolve("snap.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> "blue".equals(answer(gw)));
        assertThat(status(gw)).contains("\"mode\":\"kubernetes\"").contains("\"shop.shop-ns\"")
                .contains("\"servingAnnotation\":\"blue\"");
        assertThat(get(gw, "/status?service=shop.shop-ns").body()).as("one service: key <service>.<namespace>")
                .contains("\"shop.shop-ns\"").contains("\"servingAnnotation\":\"blue\"");
        assertThat(get(gw, "/status?service=shop").statusCode()).as("the bare name is not a cluster key").isEqualTo(404);

        annotate("teal.dev/serving", "green");
        await().atMost(Duration.ofSeconds(10)).until(() -> "green".equals(answer(gw)));
        assertThat(status(gw)).contains("\"servingAnnotation\":\"green\"");
        assertThat(get(gw, "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void onlyReadyEndpointsReceiveNewRequests() throws Exception {
        DemoBackend ready = backend("blue");
        DemoBackend notReady = backend("blue");
        shop(Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue"));
        slice("shop-blue", ready, true);
        slice("shop-blue", notReady, false);
        ClusterGateway gw = start(client, dir.resolve("snap.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "blue".equals(answer(gw)));

        for (int i = 0; i < 20; i++) {
            assertThat(answer(gw)).isEqualTo("blue");
        }
        assertThat(notReady.requests()).isZero();

        slice("shop-blue", ready, false);
        slice("shop-blue", notReady, true);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(gw).contains(":" + notReady.port())
                && !status(gw).contains(":" + ready.port()));
        long before = ready.requests();
        for (int i = 0; i < 20; i++) {
            assertThat(answer(gw)).isEqualTo("blue");
        }
        assertThat(ready.requests()).isEqualTo(before);
    }

    @Test
    void gatewayStartedWhileTheApiServerIsUnreachableServesFromItsSnapshotFile() throws Exception {
        DemoBackend blue = backend("blue");
        shop(Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue"));
        slice("shop-blue", blue, true);
        Path snap = dir.resolve("snap.json");
        ClusterGateway first = start(client, snap);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(snap) && "blue".equals(answer(first)));
        assertThat(Files.readString(snap)).contains("shop.shop-ns").contains("127.0.0.1:" + blue.port());

        KubernetesClient nowhere = unreachableClient();
        ClusterGateway second = start(nowhere, snap);
        ClusterGateway empty = start(nowhere, dir.resolve("none.json"));

        assertThat(answer(second)).isEqualTo("blue");
        assertThat(get(second, "/readyz").statusCode()).as("ready: it has a routing snapshot").isEqualTo(200);
        assertThat(status(second)).contains("\"servingAnnotation\":\"blue\"");
        assertThat(get(empty, "/readyz").statusCode()).as("no snapshot, no API server: not ready").isEqualTo(503);
    }

    @Test
    void apiServerOutageKeepsRoutingAndStateResyncsWhenItReturns() throws Exception {
        DemoBackend blue = backend("blue");
        DemoBackend green = backend("green");
        shop(Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue"));
        slice("shop-blue", blue, true);
        slice("shop-green", green, true);
        ClusterGateway gw = start(client, dir.resolve("snap.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> "blue".equals(answer(gw)));

        cluster.api.stop();
        for (int i = 0; i < 20; i++) {
            assertThat(answer(gw)).as("routing survives the outage").isEqualTo("blue");
        }
        assertThat(get(gw, "/readyz").statusCode()).isEqualTo(200);

        cluster.api.start();
        try (KubernetesClient again = cluster.api.client()) {
            again.services().inNamespace(NS).withName("shop").edit(s -> {
                s.getMetadata().getAnnotations().put("teal.dev/serving", "green");
                return s;
            });
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> "green".equals(answer(gw)));
    }

    @Test
    void ingressStatusCarriesThePublishServiceAddress() throws Exception {
        client.services().inNamespace("teal-system").resource(new ServiceBuilder().withNewMetadata()
                .withName("teal-gateway").withNamespace("teal-system").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.10").addNewPort().withPort(80).endPort().endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("203.0.113.7").endIngress()
                .endLoadBalancer().endStatus().build()).create();
        shop(Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue"));
        client.network().v1().ingresses().inNamespace(NS).resource(
                ClusterObjects.ingress("other", "nginx", "other.example.com", "shop")).create();
        KubernetesClient own = cluster.api.client("gateway");
        cluster.closeLater(own);
        ClusterGateway gw = ClusterGateway.start(own, new ClusterGateway.Settings(ClusterHarness.BASE, null, "teal",
                "teal-system/teal-gateway", dir.resolve("snap.json"), Duration.ofSeconds(10)));
        cluster.closeLater(gw);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Ingress i = client.network().v1().ingresses().inNamespace(NS).withName("shop").get();
            return i.getStatus() != null && i.getStatus().getLoadBalancer() != null
                    && !i.getStatus().getLoadBalancer().getIngress().isEmpty();
        });
        assertThat(client.network().v1().ingresses().inNamespace(NS).withName("shop").get().getStatus()
                .getLoadBalancer().getIngress()).singleElement()
                .satisfies(lb -> assertThat(lb.getIp()).isEqualTo("203.0.113.7"));
        Ingress other = client.network().v1().ingresses().inNamespace(NS).withName("other").get();
        assertThat(other.getStatus() == null || other.getStatus().getLoadBalancer() == null
                || other.getStatus().getLoadBalancer().getIngress().isEmpty()).as("another class is not ours").isTrue();
        assertThat(cluster.api.calls()).as("the gateway's only write is a patch of the status subresource (what the chart grants)")
                .filteredOn(c -> c.identity().equals("gateway") && !c.method().equals("GET"))
                .extracting(c -> c.method() + " " + c.path()).isNotEmpty()
                .allMatch(c -> c.equals("PATCH /apis/networking.k8s.io/v1/namespaces/" + NS + "/ingresses/shop/status"));
    }

    // ---- helpers

    private ClusterGateway start(KubernetesClient k, Path snapshot) throws InterruptedException {
        return cluster.start(k, NS, snapshot, Duration.ofSeconds(2));
    }

    private DemoBackend backend(String color) throws InterruptedException {
        return cluster.backend(color);
    }

    private void shop(Map<String, String> annotations) {
        client.services().inNamespace(NS).resource(ClusterObjects.front("shop", annotations)).create();
        client.network().v1().ingresses().inNamespace(NS).resource(
                ClusterObjects.ingress("shop", "teal", HOST, "shop")).create();
    }

    /** One slice per backend (each has its own port), named after the backend's port. */
    private void slice(String service, DemoBackend b, boolean ready) {
        List<String> addr = List.of("127.0.0.1");
        client.discovery().v1().endpointSlices().inNamespace(NS).resource(ClusterObjects.slice(service,
                service + "-" + b.port(), b.port(), ready ? addr : List.of(), ready ? List.of() : addr))
                .createOr(op -> op.update());
    }

    private void annotate(String key, String value) {
        client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put(key, value);
            return s;
        });
    }

    private KubernetesClient unreachableClient() throws Exception {
        java.net.Socket held = new java.net.Socket(); // bound, never listening: the port stays ours and refuses
        held.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
        cluster.closeLater(held);
        int dead = held.getLocalPort();
        KubernetesClient k = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + dead).withNamespace(NS).withRequestTimeout(1000)
                .withConnectionTimeout(500).build()).build();
        cluster.closeLater(k);
        return k;
    }

    /** The body of GET / with Host shop.example.com through the gateway's proxy listener. */
    private static String answer(ClusterGateway gw) throws Exception {
        try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
            RawClient.Response r = c.get("/", HOST);
            return r.status() == 200 ? r.text().trim() : "status " + r.status();
        }
    }

    private String status(ClusterGateway gw) throws Exception {
        return get(gw, "/status").body();
    }

    private HttpResponse<String> get(ClusterGateway gw, String path) throws Exception {
        return cluster.admin(gw, path);
    }
}
