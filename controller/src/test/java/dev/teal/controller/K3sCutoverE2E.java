package dev.teal.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.contract.HostPort;
import dev.teal.controller.election.LeaderElection;
import dev.teal.controller.reconcile.CutoverStatus;
import dev.teal.controller.reconcile.Phase;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ClusterGateway;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One real cutover against a real API server (K3s in Docker): a gateway replica in cluster mode and the controller,
 * both in this JVM and pointed at K3s, a blue and a green backend on the host. It checks what the mock API server
 * cannot: JSON merge patches with resourceVersion, Leases, Events and Ingress status on a real apiserver.
 *
 * <p>Skipped where no Docker engine is reachable ({@code disabledWithoutDocker}); the build machines have none. The
 * components run in-process rather than as pods because no container images are published by this build; the
 * EndpointSlices for the backends are written by the test (labelled as managed by it, so K3s leaves them alone).
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("K3s end-to-end cutover (needs a Docker engine; skipped without one)")
class K3sCutoverE2E {
    static final String NS = "shop";

    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    @Test
    void annotationChangeCutsOverOnARealApiServer() throws Exception {
        try (KubernetesClient k = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build();
             DemoBackend blue = DemoBackend.start("blue", 0);
             DemoBackend green = DemoBackend.start("green", 0)) {
            k.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                    .create();
            k.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName("shop")
                    .withAnnotations(Map.of("teal.dev/active", "blue")).endMetadata()
                    .withNewSpec().withSelector(Map.of("app", "shop")).addNewPort().withName("http").withPort(80)
                    .withTargetPort(new IntOrString(8080)).endPort().endSpec().build()).create();
            k.network().v1().ingresses().inNamespace(NS).resource(new IngressBuilder().withNewMetadata()
                    .withName("shop").endMetadata().withNewSpec().withIngressClassName("teal")
                    .withNewDefaultBackend().withNewService().withName("shop").withNewPort().withNumber(80).endPort()
                    .endService().endDefaultBackend().endSpec().build()).create();
            slice(k, NS, "shop-blue", blue.port(), "http");
            slice(k, NS, "shop-green", green.port(), "http");

            try (ClusterGateway gw = ClusterGateway.start(k, new ClusterGateway.Settings(
                    ConfigParser.parse("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nservices: {}\n"), NS, "teal", null,
                    Files.createTempFile("teal-e2e", ".json"), Duration.ofSeconds(30)))) {
                slice(k, "default", "teal-gateway-admin", gw.gateway().adminPort(), "admin");
                try (TealController controller = TealController.start(k, ControllerSettings.builder()
                        .namespace(NS).gatewayNamespace("default").identity("e2e")
                        .metricsListen(new HostPort("127.0.0.1", 0))
                        .election(new LeaderElection.Timing(Duration.ofSeconds(4), Duration.ofSeconds(3),
                                Duration.ofMillis(500), true)).build())) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> active(k, "blue"));
                    assertThat(answer(gw)).isEqualTo("blue");

                    k.services().inNamespace(NS).withName("shop").edit(s -> {
                        s.getMetadata().getAnnotations().put("teal.dev/active", "green");
                        return s;
                    });
                    await().atMost(Duration.ofSeconds(60)).until(() -> active(k, "green"));
                    assertThat(answer(gw)).isEqualTo("green");
                    assertThat(k.v1().events().inNamespace(NS).list().getItems())
                            .anyMatch(e -> "CutoverComplete".equals(e.getReason()));
                    assertThat(controller.isLeader()).isTrue();
                }
            }
        }
    }

    private static boolean active(KubernetesClient k, String color) {
        Service s = k.services().inNamespace(NS).withName("shop").get();
        CutoverStatus st = CutoverStatus.parse(s.getMetadata().getAnnotations().get("teal.dev/status"));
        return st != null && st.phase() == Phase.Active && color.equals(st.serving())
                && color.equals(s.getSpec().getSelector().get("color"));
    }

    private static void slice(KubernetesClient k, String ns, String service, int port, String portName) {
        k.discovery().v1().endpointSlices().inNamespace(ns).resource(new EndpointSliceBuilder().withNewMetadata()
                .withName(service + "-e2e").withLabels(Map.of("kubernetes.io/service-name", service,
                        "endpointslice.kubernetes.io/managed-by", "teal-e2e")).endMetadata()
                .withAddressType("IPv4").addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions()
                .endEndpoint().build()).create();
    }

    private static String answer(ClusterGateway gw) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gw.gateway().proxyPort() + "/")).build(), HttpResponse.BodyHandlers.ofString()).body().trim();
    }
}
