package dev.teal.gateway.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.discovery.RestartableApiServer;
import dev.teal.gateway.testing.RawClient;
import dev.teal.gateway.tls.TestCertificates;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.Base64;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The upstream Ingress routing conformance cases ({@code ../shared/conformance/ingress/cases.yaml} beside the
 * repository; see its README): every scenario on its own, through a real gateway in cluster mode. Per scenario a fresh
 * mock API server (CRUD) holds the scenario's Ingresses (class {@code CLASS} becomes {@code teal}), one Service per
 * backend name and one EndpointSlice per Service whose endpoints are real backends on 127.0.0.1 answering with their
 * Service's name; each request is one dynamic test asserting the backend that answered, or 404.
 *
 * <p>Requests with {@code scheme: https} go to the HTTPS listener, naming their host by SNI; each {@code spec.tls}
 * Secret of the scenario is created (type {@code kubernetes.io/tls}, a self-signed certificate for its hosts made by
 * {@code openssl}) and the test checks the certificate served names {@code tls_hostname} and is the Secret's. Run: {@code mvn -o -q -pl gateway -am verify
 * -Dtest=IngressConformanceTest -Dsurefire.failIfNoSpecifiedTests=false}; the figure is in the log line
 * {@code conformance:} and in surefire's report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressConformanceTest {
    static final String NS = "conformance";
    static final String CASES = "../shared/conformance/ingress/cases.yaml";
    static final GatewayConfig BASE = ConfigParser.parse(
            "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\ntls: {listen: 127.0.0.1:0}\nservices: {}\n");

    /**
     * Cases judged wrong, by request name: the source's words and why. Empty: every case is run as written. An entry
     * here turns its request into an aborted test carrying this text, never a silent skip.
     */
    static final Map<String, String> EXCLUSIONS = Map.of();

    @TempDir
    Path dir;
    final AtomicInteger passed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger https = new AtomicInteger();
    Environment current;

    /** The cases file: {@code ../shared/...} from the repository root (the directory holding gateway/). */
    static Path casesFile() {
        String override = System.getProperty("teal.conformance.cases");
        if (override != null) {
            return Path.of(override);
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("gateway/pom.xml"))) {
                Path cases = d.resolve(CASES).normalize();
                if (!Files.isRegularFile(cases)) {
                    throw new IllegalStateException("Ingress conformance cases not found at " + cases + " ("
                            + CASES + " relative to the repository root " + d + "); CI checks out shared/ beside the"
                            + " clone; or pass -Dteal.conformance.cases=/path/to/cases.yaml");
                }
                return cases;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory holding gateway/pom.xml) above "
                + start + " to locate " + CASES);
    }

    @TestFactory
    Stream<DynamicNode> conformance() throws IOException {
        JsonNode root = YAMLMapper.builder().build().readTree(Files.readString(casesFile()));
        assertThat(root.isArray()).as("cases.yaml is a list of scenarios").isTrue();
        List<DynamicNode> scenarios = new ArrayList<>();
        for (JsonNode scenario : root) {
            String id = scenario.path("id").asString();
            List<DynamicNode> tests = new ArrayList<>();
            if (scenario.path("requests").isEmpty()) {
                tests.add(DynamicTest.dynamicTest("ingress of another class is not routed",
                        () -> assertThat(env(scenario).gateway.discovery().last().routes().rules())
                                .as("%s: nothing of another class is routed", id).isEmpty()));
            }
            for (JsonNode request : scenario.path("requests")) {
                String name = request.path("name").asString();
                tests.add(DynamicTest.dynamicTest(name, () -> run(scenario, request)));
            }
            scenarios.add(DynamicContainer.dynamicContainer(id, tests.stream()));
        }
        return scenarios.stream();
    }

    @AfterAll
    void summary() {
        if (current != null) {
            current.close();
        }
        System.out.printf("conformance: %d/%d requests passed (%d over HTTPS); %d excluded%n", passed.get(),
                passed.get() + failed.get(), https.get(), EXCLUSIONS.size());
    }

    private void run(JsonNode scenario, JsonNode request) throws Exception {
        String name = request.path("name").asString();
        String why = EXCLUSIONS.get(name);
        if (why != null) {
            Assumptions.abort("excluded: " + why);
        }
        if ("https".equals(request.path("scheme").asString("http"))) {
            https.incrementAndGet();
        }
        boolean ok = false;
        try {
            check(env(scenario), request);
            ok = true;
        } finally {
            (ok ? passed : failed).incrementAndGet();
        }
    }

    private void check(Environment env, JsonNode request) throws Exception {
        JsonNode expect = request.path("expect");
        int repeat = request.path("repeat").asInt(1);
        Set<String> pods = new HashSet<>();
        for (int i = 0; i < repeat; i++) {
            RawClient.Response r = send(env, request);
            if (expect.has("status")) {
                assertThat(r.status()).as("status").isEqualTo(expect.path("status").asInt());
                assertThat(r.header("x-service")).as("no backend answers").isNull();
                continue;
            }
            assertThat(r.status()).as("status (body: %s)", r.text().trim()).isEqualTo(200);
            assertThat(r.header("x-service")).as("the Service that answered").isEqualTo(
                    expect.path("service").asString());
            pods.add(r.header("x-pod"));
            if (expect.has("request_path")) {
                assertThat(r.header("x-path")).as("path the backend saw").isEqualTo(
                        expect.path("request_path").asString());
            }
            if (expect.has("request_method")) {
                assertThat(r.header("x-method")).as("method the backend saw").isEqualTo(
                        expect.path("request_method").asString());
            }
            if (expect.has("request_host")) {
                assertThat(r.header("x-host")).as("Host the backend saw").isEqualTo(
                        expect.path("request_host").asString());
            }
        }
        if (expect.has("distinct_pods")) {
            assertThat(pods).as("pods that answered").hasSize(expect.path("distinct_pods").asInt());
        }
    }

    private static RawClient.Response send(Environment env, JsonNode request) throws Exception {
        boolean tls = "https".equals(request.path("scheme").asString("http"));
        int port = tls ? env.gateway.gateway().tlsPort() : env.gateway.gateway().proxyPort();
        String host = request.path("host").isNull() || request.path("host").isMissingNode()
                ? "127.0.0.1:" + port : request.path("host").asString();
        String method = request.path("method").asString("GET");
        try (RawClient c = tls ? new RawClient(tlsConnection(env, request, host, port)) : new RawClient(port)) {
            c.send(method + " " + request.path("path").asString("/") + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: teal-conformance\r\n"
                    + (method.equals("GET") ? "" : "Content-Length: 0\r\n") + "Connection: close\r\n\r\n");
            return c.read();
        }
    }

    /**
     * A TLS connection naming {@code host} by SNI, trusting only the scenario's Secrets, once the gateway serves the
     * Secret's certificate (it follows the cluster asynchronously); the served certificate must name
     * {@code tls_hostname}.
     */
    private static javax.net.ssl.SSLSocket tlsConnection(Environment env, JsonNode request, String host, int port)
            throws Exception {
        String expected = request.path("expect").path("tls_hostname").asString(host);
        javax.net.ssl.SSLSocket[] out = new javax.net.ssl.SSLSocket[1];
        await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                .until(() -> {
                    out[0] = env.certs.connect(port, host);
                    return true;
                });
        java.security.cert.X509Certificate leaf = (java.security.cert.X509Certificate)
                out[0].getSession().getPeerCertificates()[0];
        List<String> names = new ArrayList<>();
        for (List<?> san : leaf.getSubjectAlternativeNames()) {
            names.add(String.valueOf(san.get(1)));
        }
        assertThat(names).as("names of the certificate served for %s", host).contains(expected);
        return out[0];
    }

    /** The scenario's environment, started on first use; the previous scenario's is stopped first. */
    private Environment env(JsonNode scenario) throws Exception {
        String id = scenario.path("id").asString();
        if (current != null && current.id.equals(id)) {
            return current;
        }
        if (current != null) {
            current.close();
            current = null;
        }
        current = new Environment(id, scenario, dir.resolve(id + ".json"));
        return current;
    }

    /** One scenario: a mock API server with its objects, backends, and a gateway following them. */
    static final class Environment implements AutoCloseable {
        final String id;
        final List<AutoCloseable> closeLater = new ArrayList<>();
        final ClusterGateway gateway;
        final TestCertificates certs;

        Environment(String id, JsonNode scenario, Path snapshot) throws Exception {
            this.id = id;
            try {
                RestartableApiServer api = new RestartableApiServer();
                closeLater.add(api);
                KubernetesClient client = api.client();
                closeLater.add(client);
                int replicas = 1;
                for (JsonNode r : scenario.path("requests")) {
                    replicas = Math.max(replicas, r.path("expect").path("distinct_pods").asInt(1));
                }
                List<Ingress> ingresses = new ArrayList<>();
                for (JsonNode i : scenario.path("ingresses")) {
                    String yaml = i.toString().replace("\"ingressClassName\":\"CLASS\"",
                            "\"ingressClassName\":\"teal\"");
                    Ingress ingress = client.getKubernetesSerialization().unmarshal(yaml, Ingress.class);
                    ingress.getMetadata().setNamespace(NS);
                    ingresses.add(ingress);
                }
                for (Map.Entry<String, IngressServiceBackend> s : backendServices(ingresses).entrySet()) {
                    createService(client, s.getKey(), s.getValue(), replicas);
                }
                certs = new TestCertificates(Files.createDirectories(snapshot.resolveSibling(id + "-tls")));
                for (Ingress ingress : ingresses) {
                    createTlsSecrets(client, ingress);
                    client.network().v1().ingresses().inNamespace(NS).resource(ingress).create();
                }
                gateway = ClusterGateway.start(client, new ClusterGateway.Settings(BASE, NS, "teal", null, snapshot,
                        Duration.ofSeconds(10), true, null));
                closeLater.add(gateway);
                await().atMost(Duration.ofSeconds(10)).until(() -> gateway.discovery().last() != null);
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        /** Each {@code spec.tls} Secret: type kubernetes.io/tls, a self-signed certificate for the entry's hosts. */
        void createTlsSecrets(KubernetesClient client, Ingress ingress) throws Exception {
            if (ingress.getSpec().getTls() == null) {
                return;
            }
            for (IngressTLS tls : ingress.getSpec().getTls()) {
                String[] hosts = tls.getHosts().toArray(String[]::new);
                TestCertificates.Pair pair = certs.create(tls.getSecretName(), hosts[0], hosts);
                client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata()
                        .withName(tls.getSecretName()).withNamespace(NS).endMetadata().withType("kubernetes.io/tls")
                        .addToData("tls.crt", Base64.getEncoder().encodeToString(Files.readAllBytes(pair.cert())))
                        .addToData("tls.key", Base64.getEncoder().encodeToString(Files.readAllBytes(pair.key())))
                        .build()).create();
            }
        }

        /** Every Service the Ingresses name, with the port they name it by (first mention). */
        static Map<String, IngressServiceBackend> backendServices(List<Ingress> ingresses) {
            Map<String, IngressServiceBackend> out = new LinkedHashMap<>();
            for (Ingress i : ingresses) {
                if (i.getSpec().getDefaultBackend() != null) {
                    IngressServiceBackend b = i.getSpec().getDefaultBackend().getService();
                    out.putIfAbsent(b.getName(), b);
                }
                List<IngressRule> rules = i.getSpec().getRules() == null ? List.of() : i.getSpec().getRules();
                for (IngressRule rule : rules) {
                    for (HTTPIngressPath p : rule.getHttp().getPaths()) {
                        out.putIfAbsent(p.getBackend().getService().getName(), p.getBackend().getService());
                    }
                }
            }
            return out;
        }

        /**
         * The Service as the upstream harness creates it (a port named {@code http}; 8080 when the Ingress names the
         * port), and its EndpointSlice: that port's name, the backends' loopback ports as target ports.
         */
        void createService(KubernetesClient client, String name, IngressServiceBackend ref, int replicas)
                throws IOException {
            String portName = ref.getPort().getName() != null ? ref.getPort().getName() : "http";
            int number = ref.getPort().getNumber() != null ? ref.getPort().getNumber() : 8080;
            Service svc = new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                    .withNewSpec().withSelector(Map.of("app", name)).withPorts(new ServicePortBuilder()
                            .withName(portName).withPort(number).withTargetPort(new IntOrString(portName)).build())
                    .endSpec().build();
            client.services().inNamespace(NS).resource(svc).create();
            for (int r = 0; r < replicas; r++) {
                NamedBackend b = new NamedBackend(name, name + "-" + r);
                closeLater.add(b);
                // one slice per pod: each backend listens on its own loopback port
                client.discovery().v1().endpointSlices().inNamespace(NS).resource(new EndpointSliceBuilder()
                        .withNewMetadata().withName(name + "-" + r).withNamespace(NS)
                        .withLabels(Map.of("kubernetes.io/service-name", name)).endMetadata()
                        .withAddressType("IPv4").addNewPort().withName(portName).withPort(b.port())
                        .withProtocol("TCP").endPort()
                        .addToEndpoints(new EndpointBuilder().withAddresses("127.0.0.1").withNewConditions()
                                .withReady(true).endConditions().build())
                        .build()).create();
            }
        }

        @Override
        public void close() {
            for (int i = closeLater.size() - 1; i >= 0; i--) {
                try {
                    closeLater.get(i).close();
                } catch (Exception e) {
                    // best effort: the next scenario starts on fresh ports anyway
                }
            }
        }
    }
}
