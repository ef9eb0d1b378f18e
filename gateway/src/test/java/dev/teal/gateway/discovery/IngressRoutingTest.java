package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.ClusterHarness;
import dev.teal.gateway.testing.RawClient;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingress routing in cluster mode through a real gateway: the mock API server (CRUD) holds the objects, real backends
 * on 127.0.0.1 answer with their name. Events are read back from the mock.
 */
class IngressRoutingTest {
    static final String HOST = "shop.example.com";

    @TempDir
    Path dir;
    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();
    final KubernetesClient client = cluster.client;

    @Test
    void rulesOfSeveralIngressesMergeAndTheOlderIngressWinsAConflictWithAnEventOnTheLoser() throws Exception {
        plain("web", backend("web"));
        plain("api", backend("api"));
        plain("rogue", backend("rogue"));
        create(ingress("z-old", null, HOST, path("/", "Prefix", "web", 80)));
        // the API server stamps creationTimestamp in whole seconds: the younger one is created a second later
        Instant old = created("z-old");
        await().atMost(Duration.ofSeconds(3)).until(() -> Instant.now().isAfter(old.plusSeconds(1)));
        create(ingress("a-new", null, HOST, path("/api", "Prefix", "api", 80), path("/", "Prefix", "rogue", 80)));
        assertThat(created("a-new")).as("younger, though its name sorts first").isAfter(old);
        ClusterGateway gw = start();

        await().atMost(Duration.ofSeconds(10)).until(() -> "api".equals(answer(gw, HOST, "/api/orders")));
        assertThat(answer(gw, HOST, "/")).as("older Ingress wins / although its name sorts last").isEqualTo("web");
        assertThat(answer(gw, HOST, "/apix")).isEqualTo("web");
        await().atMost(Duration.ofSeconds(10)).until(() -> !events("RuleConflict").isEmpty());
        assertThat(events("RuleConflict")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Ingress");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("a-new");
            assertThat(e.getMessage()).contains("Ingress shop-ns/z-old (older)").contains("path /)");
        });
    }

    @Test
    void plainServiceRoutesToItsOwnReadyEndpointsAsOneColorlessPool() throws Exception {
        DemoBackend one = backend("web");
        DemoBackend two = backend("web");
        DemoBackend notReady = backend("web");
        service("web", Map.of(), port("http", 80));
        slice("web", "web-1", "http", one, true);
        slice("web", "web-2", "http", two, true);
        slice("web", "web-3", "http", notReady, false);
        create(ingress("web", null, HOST, path("/", "Prefix", "web", 80)));
        ClusterGateway gw = start();

        await().atMost(Duration.ofSeconds(10)).until(() -> "web".equals(answer(gw, HOST, "/")));
        for (int i = 0; i < 40; i++) {
            assertThat(answer(gw, HOST, "/x")).isEqualTo("web");
        }
        assertThat(one.requests()).isPositive();
        assertThat(two.requests()).isPositive();
        assertThat(notReady.requests()).isZero();
        assertThat(admin(gw, "/status")).contains("\"web.shop-ns\"").contains("\"serving\":\"-\"");
        assertThat(admin(gw, "/metrics")).contains("service=\"web.shop-ns\"").contains("color=\"-\"");
    }

    @Test
    void servicePortByNameOrNumberSelectsTheSlicePortNamedLikeThatServicePort() throws Exception {
        DemoBackend http = backend("http-port");
        DemoBackend admin = backend("admin-port");
        service("app", Map.of(), port("http", 80), port("admin", 9000));
        client.discovery().v1().endpointSlices().inNamespace(NS).resource(new EndpointSliceBuilder()
                .withNewMetadata().withName("app-1").withNamespace(NS)
                .withLabels(Map.of("kubernetes.io/service-name", "app")).endMetadata().withAddressType("IPv4")
                .withPorts(new EndpointPortBuilder().withName("admin").withPort(admin.port()).build(),
                        new EndpointPortBuilder().withName("http").withPort(http.port()).build())
                .addToEndpoints(new EndpointBuilder().withAddresses("127.0.0.1").withNewConditions().withReady(true)
                        .endConditions().build()).build()).create();
        create(ingress("by-name", null, "admin.example.com", pathByName("/", "Prefix", "app", "admin")));
        ClusterGateway gw = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "admin-port".equals(answer(gw, "admin.example.com", "/")));

        // the same Service through its other port: one port per Service, so this rule is reported, not mixed in
        create(ingress("by-number", null, "app.example.com", path("/", "Prefix", "app", 80)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !events("InvalidRule").isEmpty());
        assertThat(events("InvalidRule")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("one port per Service"));
        assertThat(answer(gw, "admin.example.com", "/")).isEqualTo("admin-port");

        client.network().v1().ingresses().inNamespace(NS).withName("by-name").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> "http-port".equals(answer(gw, "app.example.com", "/")));
    }

    @Test
    void defaultBackendTakesWhatNoRuleMatchesAndWithoutOneTheAnswerIs404() throws Exception {
        plain("web", backend("web"));
        plain("fallback", backend("fallback"));
        create(ingress("web", null, HOST, path("/app", "Prefix", "web", 80)));
        ClusterGateway gw = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "web".equals(answer(gw, HOST, "/app")));

        try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
            RawClient.Response r = c.get("/other", HOST);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("content-type")).startsWith("text/plain");
            assertThat(r.text()).isEqualTo("no route for this host and path\n");
        }
        assertThat(answer(gw, "elsewhere.example.com", "/app")).isEqualTo("status 404");

        Ingress def = new IngressBuilder().withNewMetadata().withName("catch-all").withNamespace(NS).endMetadata()
                .withNewSpec().withIngressClassName("teal").withNewDefaultBackend().withNewService()
                .withName("fallback").withNewPort().withNumber(80).endPort().endService().endDefaultBackend()
                .endSpec().build();
        create(def);
        await().atMost(Duration.ofSeconds(10)).until(() -> "fallback".equals(answer(gw, HOST, "/other")));
        assertThat(answer(gw, "elsewhere.example.com", "/")).isEqualTo("fallback");
        assertThat(answer(gw, HOST, "/app/x")).as("rules still come first").isEqualTo("web");
    }

    @Test
    void eachBadRuleIsSkippedWithAnEventAndEveryOtherRuleKeepsRouting() throws Exception {
        plain("web", backend("web"));
        plain("other", backend("other"));
        create(ingress("shop", null, HOST, path("/good", "Prefix", "web", 80)));
        create(ingress("other", null, "other.example.com", path("/", "Prefix", "other", 80)));
        ClusterGateway gw = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "web".equals(answer(gw, HOST, "/good")));

        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("no-slash", "must start with '/'");
        bad.put("/star/*", "'*' is not allowed");
        bad.put("/re/.+$", "looks like a regular expression");
        bad.put("/v[12]", "looks like a regular expression");
        bad.put("/unknown-type", "unknown pathType 'Regex'");
        bad.put("/missing-type", "pathType is required");
        bad.put("/missing-service", "Service shop-ns/nope does not exist");
        bad.put("/missing-port", "has no port 8081");
        List<HTTPIngressPath> paths = new ArrayList<>(List.of(path("/good", "Prefix", "web", 80),
                path("/also-good", "Exact", "web", 80)));
        paths.add(path("no-slash", "Prefix", "web", 80));
        paths.add(path("/star/*", "Prefix", "web", 80));
        paths.add(path("/re/.+$", "Prefix", "web", 80));
        paths.add(path("/v[12]", "Exact", "web", 80));
        paths.add(path("/unknown-type", "Regex", "web", 80));
        paths.add(path("/missing-type", null, "web", 80));
        paths.add(path("/missing-service", "Prefix", "nope", 80));
        paths.add(path("/missing-port", "Prefix", "web", 8081));
        client.network().v1().ingresses().inNamespace(NS).resource(
                ingress("shop", null, HOST, paths.toArray(HTTPIngressPath[]::new))).update();

        await().atMost(Duration.ofSeconds(10)).until(() -> events("InvalidRule").size() >= bad.size());
        List<Event> invalid = events("InvalidRule");
        assertThat(invalid).hasSize(bad.size()).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("shop");
        });
        bad.forEach((path, why) -> assertThat(invalid).as(path).anySatisfy(e -> assertThat(e.getMessage())
                .contains("path " + path + ")").contains(why)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "web".equals(answer(gw, HOST, "/also-good")));
        assertThat(answer(gw, HOST, "/good/x")).isEqualTo("web");
        assertThat(answer(gw, "other.example.com", "/")).as("another Ingress is untouched").isEqualTo("other");
        assertThat(answer(gw, HOST, "/missing-service")).isEqualTo("status 404");

        // a later rebuild does not report the same problems again
        plain("late", backend("late"));
        create(ingress("late", null, "late.example.com", path("/", "Prefix", "late", 80)));
        await().atMost(Duration.ofSeconds(10)).until(() -> "late".equals(answer(gw, "late.example.com", "/")));
        assertThat(events("InvalidRule")).hasSize(bad.size());
    }

    @Test
    void switchingAColorManagedServiceLeavesOtherRoutesOnTheSameHostServing() throws Exception {
        DemoBackend blue = backend("blue");
        DemoBackend green = backend("green");
        service("shop", Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue"), port("http", 80));
        slice("shop-blue", "shop-blue-1", "http", blue, true);
        slice("shop-green", "shop-green-1", "http", green, true);
        plain("static", backend("static"));
        create(ingress("shop", null, HOST, path("/", "Prefix", "shop", 80), path("/static", "Prefix", "static", 80)));
        ClusterGateway gw = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "blue".equals(answer(gw, HOST, "/"))
                && "static".equals(answer(gw, HOST, "/static/app.js")));

        List<String> staticAnswers = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = new Thread(() -> {
            try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
                for (int i = 0; i < 20_000 && !stop.get(); i++) { // keep-alive, bounded in count and by stop
                    RawClient.Response r = c.get("/static/app.js", HOST);
                    synchronized (staticAnswers) {
                        staticAnswers.add(r.status() + " " + r.text().trim());
                    }
                }
            } catch (Exception e) {
                synchronized (staticAnswers) {
                    staticAnswers.add("error " + e);
                }
            }
        });
        load.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (staticAnswers) {
                return staticAnswers.size() >= 20;
            }
        });
        client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("teal.dev/active", "green");
            s.getMetadata().getAnnotations().put("teal.dev/serving", "green");
            return s;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> "green".equals(answer(gw, HOST, "/")));
        int atSwitch;
        synchronized (staticAnswers) {
            atSwitch = staticAnswers.size();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            synchronized (staticAnswers) {
                return staticAnswers.size() >= atSwitch + 20;
            }
        });
        stop.set(true);
        load.join(10_000);

        assertThat(staticAnswers).as("every /static request on one keep-alive connection across the switch")
                .hasSizeGreaterThanOrEqualTo(40).containsOnly("200 static");
        assertThat(answer(gw, HOST, "/")).isEqualTo("green");
        assertThat(admin(gw, "/status")).contains("\"static.shop-ns\"");
    }

    @Test
    void ingressWithoutClassIsServedOnlyWhileTealIsTheDefaultIngressClass() throws Exception {
        plain("web", backend("web"));
        client.network().v1().ingressClasses().resource(new IngressClassBuilder().withNewMetadata()
                .withName("teal").endMetadata().withNewSpec().withController("teal.dev/gateway").endSpec().build())
                .create();
        Ingress noClass = ingress("no-class", null, HOST, path("/", "Prefix", "web", 80));
        noClass.getSpec().setIngressClassName(null);
        create(noClass);
        plain("marker", backend("marker"));
        create(ingress("marker", null, "marker.example.com", path("/", "Prefix", "marker", 80)));
        ClusterGateway gw = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "marker".equals(answer(gw, "marker.example.com", "/")));
        assertThat(answer(gw, HOST, "/")).as("no class, and teal is not the default").isEqualTo("status 404");

        client.network().v1().ingressClasses().withName("teal").edit(c -> {
            c.getMetadata().setAnnotations(Map.of("ingressclass.kubernetes.io/is-default-class", "true"));
            return c;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> "web".equals(answer(gw, HOST, "/")));
    }

    @Test
    void aGatewayStartedFromTheSnapshotFileRoutesByTheSameHostAndPathRules() throws Exception {
        plain("web", backend("web"));
        plain("api", backend("api"));
        plain("any", backend("any"));
        create(ingress("shop", null, HOST, path("/", "Prefix", "web", 80), path("/api", "Prefix", "api", 80)));
        create(ingress("any", null, null, path("/status", "Exact", "any", 80)));
        Path snap = dir.resolve("snap.json");
        ClusterGateway first = start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "api".equals(answer(first, HOST, "/api/x"))
                && "any".equals(answer(first, "x.example.com", "/status")) && java.nio.file.Files.exists(snap));

        RestartableApiServer gone = new RestartableApiServer();
        KubernetesClient nowhere = gone.client();
        gone.stop(); // its port now refuses connections: the API server is unreachable
        cluster.closeLater(nowhere);
        ClusterGateway second = cluster.start(nowhere, NS, snap, Duration.ofMillis(500));
        assertThat(answer(second, HOST, "/api/x")).isEqualTo("api");
        assertThat(answer(second, HOST, "/")).isEqualTo("web");
        assertThat(answer(second, "x.example.com", "/status")).isEqualTo("any");
        assertThat(answer(second, "x.example.com", "/")).isEqualTo("status 404");
    }

    // ---- helpers

    private ClusterGateway start() throws InterruptedException {
        return cluster.start(client, NS, dir.resolve("snap.json"), Duration.ofSeconds(5));
    }

    private DemoBackend backend(String name) throws InterruptedException {
        return cluster.backend(name);
    }

    /** A plain Service (no teal.dev annotations) with port http 80 and one ready endpoint. */
    private void plain(String name, DemoBackend b) {
        service(name, Map.of(), port("http", 80));
        slice(name, name + "-1", "http", b, true);
    }

    private static ServicePort port(String name, int number) {
        return new ServicePortBuilder().withName(name).withPort(number).withTargetPort(new IntOrString(name)).build();
    }

    private void service(String name, Map<String, String> annotations, ServicePort... ports) {
        client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .withNamespace(NS).withAnnotations(new HashMap<>(annotations)).endMetadata().withNewSpec()
                .withSelector(Map.of("app", name)).withPorts(ports).endSpec().build()).create();
    }

    private void slice(String service, String sliceName, String portName, DemoBackend b, boolean ready) {
        client.discovery().v1().endpointSlices().inNamespace(NS).resource(new EndpointSliceBuilder()
                .withNewMetadata().withName(sliceName).withNamespace(NS)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata().withAddressType("IPv4")
                .addNewPort().withName(portName).withPort(b.port()).withProtocol("TCP").endPort()
                .addToEndpoints(new EndpointBuilder().withAddresses("127.0.0.1").withNewConditions().withReady(ready)
                        .endConditions().build()).build()).create();
    }

    static HTTPIngressPath path(String path, String type, String service, int port) {
        return new HTTPIngressPathBuilder().withPath(path).withPathType(type).withNewBackend().withService(
                new IngressServiceBackendBuilder().withName(service).withPort(new ServiceBackendPortBuilder()
                        .withNumber(port).build()).build()).endBackend().build();
    }

    static HTTPIngressPath pathByName(String path, String type, String service, String portName) {
        return new HTTPIngressPathBuilder().withPath(path).withPathType(type).withNewBackend().withService(
                new IngressServiceBackendBuilder().withName(service).withPort(new ServiceBackendPortBuilder()
                        .withName(portName).build()).build()).endBackend().build();
    }

    static Ingress ingress(String name, String created, String host, HTTPIngressPath... paths) {
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace(NS).withCreationTimestamp(created)
                .endMetadata().withNewSpec().withIngressClassName("teal").addNewRule().withHost(host).withNewHttp()
                .withPaths(paths).endHttp().endRule().endSpec().build();
    }

    private Instant created(String ingress) {
        return Instant.parse(client.network().v1().ingresses().inNamespace(NS).withName(ingress).get().getMetadata()
                .getCreationTimestamp());
    }

    private void create(Ingress i) {
        client.network().v1().ingresses().inNamespace(NS).resource(i).create();
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    /** The body of GET {@code path} with {@code host}, or "status N" when it is not 200. */
    private static String answer(ClusterGateway gw, String host, String path) throws Exception {
        try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
            RawClient.Response r = c.get(path, host);
            return r.status() == 200 ? r.text().trim() : "status " + r.status();
        }
    }

    private String admin(ClusterGateway gw, String path) throws Exception {
        return cluster.admin(gw, path).body();
    }
}
