package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.contract.HostPort;
import dev.teal.gateway.config.TlsSettings;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.testing.ClusterHarness;
import dev.teal.gateway.testing.ClusterObjects;
import dev.teal.gateway.testing.RawClient;
import dev.teal.gateway.tls.TestCertificates;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode with {@code --tls-from-ingresses}: the Secrets named in {@code spec.tls} are served by SNI on the
 * HTTPS listener, follow Secret updates, and a missing or broken one is a Warning Event on its Ingress while its hosts
 * get the default certificate. Secrets are read only in the namespaces given (checked on the recorded calls).
 */
class IngressTlsTest {
    static final String HOST = "shop.example.com";

    @TempDir
    Path dir;
    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();
    final KubernetesClient client = cluster.client;
    TestCertificates certs;

    @BeforeEach
    void backend() throws Exception {
        certs = new TestCertificates(dir);
        DemoBackend web = cluster.backend("web");
        ClusterObjects.front(client, "web", Map.of());
        ClusterObjects.slice(client, NS, "web", "web-1", web.port(), "http", List.of("127.0.0.1"), List.of());
    }

    private ClusterGateway start(List<String> secretNamespaces) throws InterruptedException {
        KubernetesClient gatewayClient = cluster.closeLater(cluster.api.client("gateway"));
        return cluster.closeLater(ClusterGateway.start(gatewayClient, new ClusterGateway.Settings(
                ClusterHarness.BASE.withTls(new TlsSettings(new HostPort("127.0.0.1", 0), null, List.of())), NS,
                "teal", null, dir.resolve("snap.json"), Duration.ofSeconds(5), true, secretNamespaces)));
    }

    private void ingress(String name, String host, String secret) {
        ingress(name, host, secret, Map.of());
    }

    private void ingress(String name, String host, String secret, Map<String, String> annotations) {
        Ingress i = new IngressBuilder(ClusterObjects.ingress(name, "teal", host, "web")).editMetadata()
                .withAnnotations(annotations).endMetadata().editSpec().addNewTl()
                .withHosts(host).withSecretName(secret).endTl().endSpec().build();
        client.network().v1().ingresses().inNamespace(NS).resource(i).create();
    }

    private Secret secret(String name, TestCertificates.Pair cert, Path key) throws Exception {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", Base64.getEncoder().encodeToString(Files.readAllBytes(cert.cert())))
                .addToData("tls.key", Base64.getEncoder().encodeToString(Files.readAllBytes(key)))
                .build();
    }

    private String servedCn(ClusterGateway gw, String host) throws Exception {
        try (SSLSocket s = certs.connectTrustingAny(gw.gateway().tlsPort(), host)) {
            return TestCertificates.servedCn(s);
        }
    }

    private List<Event> events(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    @Test
    void ingressSecretIsServedBySniAndFollowsSecretUpdates() throws Exception {
        TestCertificates.Pair first = certs.create("first", "shop-cert", HOST);
        client.secrets().inNamespace(NS).resource(secret("shop-tls", first, first.key())).create();
        ingress("shop", HOST, "shop-tls");
        ClusterGateway gw = start(null);

        await().atMost(Duration.ofSeconds(10)).until(() -> servedCn(gw, HOST).equals("shop-cert"));
        try (SSLSocket s = certs.connect(gw.gateway().tlsPort(), HOST); RawClient c = new RawClient(s)) {
            RawClient.Response r = c.get("/", HOST);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("web\n");
        }
        assertThat(servedCn(gw, "other.example.com")).isEqualTo("teal.invalid");
        assertThat(cluster.admin(gw, "/status").body()).contains("\"source\":\"secret:shop-ns/shop-tls\"");

        TestCertificates.Pair second = certs.create("second", "shop-cert-2", HOST);
        client.secrets().inNamespace(NS).resource(secret("shop-tls", second, second.key())).update();
        await().atMost(Duration.ofSeconds(10)).until(() -> servedCn(gw, HOST).equals("shop-cert-2"));
    }

    @Test
    void missingOrBrokenSecretIsAWarningEventAndItsHostsGetTheDefault() throws Exception {
        TestCertificates.Pair a = certs.create("a", "a-cert", "a.example.com");
        TestCertificates.Pair b = certs.create("b", "b-cert", "b.example.com");
        client.secrets().inNamespace(NS).resource(secret("mismatched", a, b.key())).create();
        ingress("absent", "absent.example.com", "no-such-secret");
        ingress("broken", "a.example.com", "mismatched");
        ClusterGateway gw = start(null);

        await().atMost(Duration.ofSeconds(10)).until(() -> !events("TLSSecretMissing").isEmpty()
                && !events("TLSSecretInvalid").isEmpty());
        assertThat(events("TLSSecretMissing")).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("absent");
            assertThat(e.getMessage()).contains("shop-ns/no-such-secret").contains("default certificate");
        });
        assertThat(events("TLSSecretInvalid")).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getName()).isEqualTo("broken");
            assertThat(e.getMessage()).contains("does not belong to the certificate");
        });
        assertThat(servedCn(gw, "absent.example.com")).isEqualTo("teal.invalid");
        assertThat(servedCn(gw, "a.example.com")).isEqualTo("teal.invalid");
        try (RawClient plain = new RawClient(gw.gateway().proxyPort())) {
            assertThat(plain.get("/", "a.example.com").text()).isEqualTo("web\n"); // routing is untouched
        }
    }

    @Test
    void secretsAreReadOnlyInTheNamespacesGiven() throws Exception {
        TestCertificates.Pair a = certs.create("a", "a-cert", HOST);
        client.secrets().inNamespace(NS).resource(secret("shop-tls", a, a.key())).create();
        ingress("shop", HOST, "shop-tls");
        ClusterGateway gw = start(List.of("certs-only"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !events("TLSSecretMissing").isEmpty());
        assertThat(events("TLSSecretMissing").get(0).getMessage()).contains("does not read Secrets in");
        assertThat(servedCn(gw, HOST)).isEqualTo("teal.invalid");
        List<ApiCall> secretCalls = cluster.api.calls().stream()
                .filter(c -> c.identity().equals("gateway") && c.path().contains("/secrets")).toList();
        assertThat(secretCalls).isNotEmpty().allSatisfy(c -> {
            assertThat(c.path()).startsWith("/api/v1/namespaces/certs-only/secrets");
            assertThat(c.method()).isEqualTo("GET");
        });
    }

    @Test
    void sslRedirectAnnotationSendsPlainHttpToHttpsAndABadValueIsReportedAndIgnored() throws Exception {
        TestCertificates.Pair a = certs.create("a", "a-cert", HOST);
        client.secrets().inNamespace(NS).resource(secret("shop-tls", a, a.key())).create();
        ingress("shop", HOST, "shop-tls", Map.of("teal.dev/ssl-redirect", "true"));
        ingress("typo", "typo.example.com", "shop-tls", Map.of("teal.dev/ssl-redirect", "yes"));
        ClusterGateway gw = start(null);

        int https = gw.gateway().tlsPort();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
                return c.get("/a?b=c", HOST).status() == 308;
            }
        });
        try (RawClient c = new RawClient(gw.gateway().proxyPort())) {
            RawClient.Response r = c.get("/a?b=c", HOST);
            assertThat(r.header("location")).isEqualTo("https://" + HOST + ":" + https + "/a?b=c");
            RawClient.Response typo = c.get("/", "typo.example.com");
            assertThat(typo.status()).as("a bad value redirects nothing").isEqualTo(200);
        }
        // the certificate follows the Ingress on its own informer: the redirect can come before it is served
        await().atMost(Duration.ofSeconds(10)).until(() -> servedCn(gw, HOST).equals("a-cert"));
        try (SSLSocket s = certs.connect(https, HOST); RawClient c = new RawClient(s)) {
            assertThat(c.get("/a", HOST).text()).isEqualTo("web\n");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !events("InvalidAnnotation").isEmpty());
        assertThat(events("InvalidAnnotation")).singleElement().satisfies(e -> {
            assertThat(e.getInvolvedObject().getName()).isEqualTo("typo");
            assertThat(e.getMessage()).contains("teal.dev/ssl-redirect: 'yes' is not true or false");
        });
    }
}
