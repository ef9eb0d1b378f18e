package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code gateway.tls}: off by default (nothing TLS is rendered, no Secret access, nothing new mounted); enabled adds
 * the HTTPS port; {@code fromIngresses} adds list/watch on Secrets only in the namespaces it names.
 */
class TlsChartTest {

    @Test
    void byDefaultNothingAboutTlsIsRendered() {
        var m = TealChart.render();
        assertThat(WorkloadTest.gatewayConfig(m).has("tls")).isFalse();
        assertThat(WorkloadTest.container(m, "teal-gateway").getPorts()).extracting(ContainerPort::getName)
                .containsExactly("http", "admin");
        assertThat(m.get(Service.class, "teal-gateway").getSpec().getPorts()).extracting(ServicePort::getName)
                .containsExactly("http");
        assertThat(WorkloadTest.container(m, "teal-gateway").getArgs()).noneMatch(a -> a.startsWith("--tls"));
        assertThat(RbacTest.grants(m, "teal-gateway")).noneMatch(g -> g.resource().equals("secrets"));
        assertThat(volumes(m)).extracting(Volume::getName).doesNotContain("tls-default");
    }

    @Test
    void enabledOpensTheHttpsPortWithoutSecretAccess() {
        var m = TealChart.render("gateway: {tls: {enabled: true}, ports: {https: 9443}, service: {httpsPort: 8443}}");
        assertThat(WorkloadTest.gatewayConfig(m).at("/tls/listen").asString()).isEqualTo("0.0.0.0:9443");
        assertThat(WorkloadTest.gatewayConfig(m).at("/tls/default").isMissingNode()).isTrue();
        assertThat(WorkloadTest.gatewayConfig(m).at("/tls/redirectPort").asInt()).as("the Service's port")
                .isEqualTo(8443);
        assertThat(WorkloadTest.container(m, "teal-gateway").getPorts())
                .filteredOn(p -> p.getName().equals("https")).singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9443));
        assertThat(m.get(Service.class, "teal-gateway").getSpec().getPorts())
                .filteredOn(p -> p.getName().equals("https")).singleElement().satisfies(p -> {
                    assertThat(p.getPort()).isEqualTo(8443);
                    assertThat(p.getTargetPort().getStrVal()).isEqualTo("https");
                });
        assertThat(WorkloadTest.container(m, "teal-gateway").getArgs()).noneMatch(a -> a.startsWith("--tls"));
        assertThat(RbacTest.grants(m, "teal-gateway")).noneMatch(g -> g.resource().equals("secrets"));
    }

    @Test
    void fromIngressesReadsSecretsOnlyInTheWatchedNamespace() {
        var m = TealChart.render("watchNamespace: shop\ngateway: {tls: {fromIngresses: true}}");
        assertThat(WorkloadTest.container(m, "teal-gateway").getArgs())
                .containsSubsequence("--tls-from-ingresses", "--tls-secret-namespaces", "shop");
        assertThat(WorkloadTest.gatewayConfig(m).at("/tls/listen").asString()).isEqualTo("0.0.0.0:8443");
        assertThat(RbacTest.bound(m, "teal-gateway"))
                .filteredOn(b -> b.rules().stream().anyMatch(r -> r.getResources().contains("secrets")))
                .singleElement().satisfies(b -> {
                    assertThat(b.namespace()).isEqualTo("shop");
                    assertThat(b.rules()).singleElement().satisfies(r -> {
                        assertThat(r.getResources()).containsExactly("secrets");
                        assertThat(r.getVerbs()).containsExactly("list", "watch");
                    });
                });
    }

    @Test
    void fromIngressesWithSecretNamespacesGrantsARolePerNamespace() {
        var m = TealChart.render("gateway: {tls: {fromIngresses: true, secretNamespaces: [certs-a, certs-b]}}");
        assertThat(WorkloadTest.container(m, "teal-gateway").getArgs())
                .containsSubsequence("--tls-secret-namespaces", "certs-a,certs-b");
        assertThat(RbacTest.bound(m, "teal-gateway"))
                .filteredOn(b -> b.rules().stream().anyMatch(r -> r.getResources().contains("secrets")))
                .extracting(RbacTest.Bound::namespace).containsExactlyInAnyOrder("certs-a", "certs-b");
    }

    @Test
    void fromIngressesWithoutNamespacesReadsSecretsClusterWide() {
        var m = TealChart.render("gateway: {tls: {fromIngresses: true}}");
        assertThat(WorkloadTest.container(m, "teal-gateway").getArgs()).contains("--tls-from-ingresses")
                .doesNotContain("--tls-secret-namespaces");
        assertThat(RbacTest.bound(m, "teal-gateway"))
                .filteredOn(b -> b.rules().stream().anyMatch(r -> r.getResources().contains("secrets")))
                .singleElement().satisfies(b -> assertThat(b.namespace()).isEqualTo("*"));
    }

    @Test
    void defaultCertificateSecretIsMountedAndConfigured() {
        var m = TealChart.render("gateway: {tls: {enabled: true, defaultCertificateSecret: edge-cert}}");
        JsonNode tls = WorkloadTest.gatewayConfig(m).get("tls");
        assertThat(tls.at("/default/cert").asString()).isEqualTo("/etc/teal-tls/default/tls.crt");
        assertThat(volumes(m)).filteredOn(v -> v.getName().equals("tls-default")).singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("edge-cert"));
        assertThat(WorkloadTest.container(m, "teal-gateway").getVolumeMounts())
                .anySatisfy(vm -> assertThat(vm.getMountPath()).isEqualTo("/etc/teal-tls/default"));
    }

    private static List<Volume> volumes(TealChart.Manifests m) {
        return m.get(Deployment.class, "teal-gateway").getSpec().getTemplate().getSpec().getVolumes();
    }
}
