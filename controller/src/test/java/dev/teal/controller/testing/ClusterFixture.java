package dev.teal.controller.testing;

import dev.teal.contract.HostPort;
import dev.teal.controller.ControllerSettings;
import dev.teal.controller.TealController;
import dev.teal.controller.election.LeaderElection;
import dev.teal.controller.reconcile.CutoverStatus;
import dev.teal.controller.reconcile.Phase;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.discovery.RestartableApiServer;
import dev.teal.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A small cluster on 127.0.0.1: the mock API server (CRUD, restartable), real backends, real gateway replicas in
 * cluster mode and controllers, all in this JVM. The front Service is {@code shop-ns/shop}; its Ingress (class teal)
 * has no host, so it is the gateways' default service and any Host reaches it.
 */
public final class ClusterFixture implements AutoCloseable {
    public static final String NS = ClusterObjects.NS;
    public static final String GW_NS = "teal-system";
    public static final String ADMIN = "teal-gateway-admin";
    public static final LeaderElection.Timing FAST = new LeaderElection.Timing(Duration.ofMillis(2000),
            Duration.ofMillis(1500), Duration.ofMillis(250), true);
    static final GatewayConfig BASE = ConfigParser.parse("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nservices: {}\n");

    public final RestartableApiServer api = new RestartableApiServer();
    public final KubernetesClient client = api.client();
    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public ClusterFixture() throws IOException {
        dir = Files.createTempDirectory("teal-cluster");
        closeLater.add(client);
    }

    public DemoBackend backend(String color) throws InterruptedException {
        return track(DemoBackend.start(color, 0));
    }

    /** Adds (or replaces) the slice of {@code shop-<color>} that holds backend {@code b}. */
    public void colorSlice(String color, DemoBackend b, boolean ready) {
        List<String> addr = List.of("127.0.0.1");
        ClusterObjects.slice(client, NS, "shop-" + color, "shop-" + color + "-" + b.port(), b.port(), "http",
                ready ? addr : List.of(), ready ? List.of() : addr);
    }

    /** The user's front Service {@code shop} with these annotations and an Ingress of class teal to it. */
    public void front(Map<String, String> annotations) {
        ClusterObjects.front(client, "shop", annotations);
        client.network().v1().ingresses().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.networking.v1
                .IngressBuilder().withNewMetadata().withName("shop").withNamespace(NS).endMetadata()
                .withNewSpec().withIngressClassName("teal").withNewDefaultBackend().withNewService().withName("shop")
                .withNewPort().withNumber(80).endPort().endService().endDefaultBackend().endSpec().build()).create();
    }

    /**
     * Starts a gateway replica in cluster mode and lists it in the admin Service's slices. Its API client sends the
     * token {@code gateway/<name>}, so {@code api.calls()} tells its calls apart.
     */
    public ClusterGateway gateway(String name) throws InterruptedException {
        ClusterGateway gw = startGateway(name, api.client("gateway/" + name), snapshot(name));
        ClusterObjects.slice(client, GW_NS, ADMIN, ADMIN + "-" + name, gw.gateway().adminPort(), "admin",
                List.of("127.0.0.1"), List.of());
        return gw;
    }

    /** Starts a gateway replica with the given client and snapshot file, not listed as a replica. */
    public ClusterGateway startGateway(String name, KubernetesClient k, Path snapshot) throws InterruptedException {
        if (k != client) {
            closeLater.add(k);
        }
        return track(ClusterGateway.start(k, new ClusterGateway.Settings(BASE, null, "teal", null, snapshot,
                Duration.ofSeconds(2))));
    }

    public Path snapshot(String gatewayName) {
        return dir.resolve(gatewayName + ".json");
    }

    /** Starts a controller whose API client sends the token {@code controller/<identity>}. */
    public TealController controller(String identity, boolean releaseOnClose) {
        KubernetesClient k = api.client("controller/" + identity);
        closeLater.add(k);
        return track(TealController.start(k, ControllerSettings.builder().gatewayNamespace(GW_NS).identity(identity)
                .metricsListen(new HostPort("127.0.0.1", 0))
                .election(new LeaderElection.Timing(FAST.leaseDuration(), FAST.renewDeadline(), FAST.retryPeriod(),
                        releaseOnClose))
                .probeTimeout(Duration.ofSeconds(1)).build()));
    }

    /** The usual start: a blue and a green backend, blue's slice ready, gateways gw1 and gw2, a leading controller. */
    public BlueAndGreen blueAndGreenBehindTwoGateways() throws InterruptedException {
        DemoBackend blue = backend("blue");
        DemoBackend green = backend("green");
        colorSlice("blue", blue, true);
        BlueAndGreen started = new BlueAndGreen(blue, green, gateway("gw1"), gateway("gw2"));
        controller("controller-a", true);
        return started;
    }

    /** What {@link #blueAndGreenBehindTwoGateways()} started. */
    public record BlueAndGreen(DemoBackend blue, DemoBackend green, ClusterGateway gw1, ClusterGateway gw2) {
    }

    public <T extends AutoCloseable> T track(T resource) {
        closeLater.add(resource);
        return resource;
    }

    public Service front() {
        return client.services().inNamespace(NS).withName("shop").get();
    }

    public CutoverStatus status() {
        Service s = front();
        return s == null || s.getMetadata().getAnnotations() == null ? null
                : CutoverStatus.parse(s.getMetadata().getAnnotations().get("teal.dev/status"));
    }

    public Phase phase() {
        CutoverStatus s = status();
        return s == null ? null : s.phase();
    }

    /** Active and serving {@code color}, with the selector pointed at it. */
    public boolean activeOn(String color) {
        CutoverStatus s = status();
        return s != null && s.phase() == Phase.Active && color.equals(s.serving())
                && color.equals(front().getSpec().getSelector().get("color"));
    }

    public void annotate(String key, String value) {
        client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put(key, value);
            return s;
        });
    }

    public List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    /** GET {@code path} through the gateway's proxy listener; the body is the backend's color. */
    public HttpResponse<String> get(ClusterGateway gw, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().proxyPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The color that answers GET / through {@code gw}, or "status N". */
    public String answer(ClusterGateway gw) throws IOException, InterruptedException {
        HttpResponse<String> r = get(gw, "/");
        return r.statusCode() == 200 ? r.body().trim() : "status " + r.statusCode();
    }

    public HttpClient http() {
        return http;
    }

    @Override
    public void close() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            try {
                closeLater.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        api.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
