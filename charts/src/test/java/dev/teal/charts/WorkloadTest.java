package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.Units;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The gateway and controller pods as Kubernetes will run them. */
class WorkloadTest {
    private static final List<String> DEPLOYMENTS = List.of("teal-gateway", "teal-controller");

    @Test
    void podsRunAsNonRootWithReadOnlyRootFilesystemAndNoCapabilities() {
        for (var manifests : List.of(TealChart.render(), TealChart.render(TealChart.ALL_FEATURES_ON))) {
            for (String name : DEPLOYMENTS) {
                PodSpec pod = manifests.get(Deployment.class, name).getSpec().getTemplate().getSpec();
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
                assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
                Container container = pod.getContainers().get(0);
                var security = container.getSecurityContext();
                assertThat(security.getRunAsNonRoot()).isTrue();
                assertThat(security.getAllowPrivilegeEscalation()).isFalse();
                assertThat(security.getReadOnlyRootFilesystem()).isTrue();
                assertThat(security.getPrivileged()).isNotEqualTo(Boolean.TRUE);
                assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
                assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
                assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
                // the only writable path is /tmp, an emptyDir
                for (VolumeMount mount : container.getVolumeMounts()) {
                    Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
                    if (!Boolean.TRUE.equals(mount.getReadOnly())) {
                        assertThat(mount.getMountPath()).as("%s writable mount", name).isEqualTo("/tmp");
                        assertThat(volume.getEmptyDir()).isNotNull();
                    }
                    assertThat(volume.getHostPath()).isNull();
                    if (volume.getSecret() != null) { // only the opt-in default TLS certificate, read-only
                        assertThat(volume.getName()).as("%s secret volume", name).isEqualTo("tls-default");
                        assertThat(mount.getReadOnly()).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void gatewayProbesUseTheAdminPort() {
        var manifests = TealChart.render();
        Container gateway = container(manifests, "teal-gateway");
        assertHttpProbe(gateway.getLivenessProbe(), "/healthz", "admin");
        assertHttpProbe(gateway.getReadinessProbe(), "/readyz", "admin");
        assertHttpProbe(gateway.getStartupProbe(), "/healthz", "admin");
        assertThat(gateway.getPorts()).extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("http", 8080), org.assertj.core.groups.Tuple.tuple("admin", 9901));
    }

    @Test
    void controllerProbesUseTheMetricsPort() {
        Container controller = container(TealChart.render(), "teal-controller");
        assertHttpProbe(controller.getLivenessProbe(), "/healthz", "metrics");
        assertHttpProbe(controller.getReadinessProbe(), "/readyz", "metrics");
        assertThat(controller.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9902));
    }

    @Test
    void gatewayConfigBindsAllInterfacesOnTheContainerPorts() {
        var manifests = TealChart.render("gateway: {ports: {http: 8000, admin: 9000}}");
        JsonNode config = gatewayConfig(manifests);
        assertThat(config.get("listen").asString()).isEqualTo("0.0.0.0:8000");
        assertThat(config.get("admin").asString()).isEqualTo("0.0.0.0:9000");
        assertThat(config.has("services")).as("services come from the cluster").isFalse();
        assertThat(container(manifests, "teal-gateway").getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(8000, 9000);
        assertThat(container(manifests, "teal-controller").getArgs()).containsSubsequence("--gateway-admin-port", "9000");
    }

    @Test
    void terminationGraceExceedsTheGatewaysOwnShutdown() {
        for (String values : List.of("{}", "gateway: {config: {shutdown: {preStopDelay: 1500ms, timeout: 2m}}}")) {
            var manifests = TealChart.render(values);
            JsonNode shutdown = gatewayConfig(manifests).get("shutdown");
            // the gateway's own parser reads the durations, as it will in the pod
            Duration sum = Units.duration(shutdown.get("preStopDelay").asString()).plus(Units.duration(shutdown.get("timeout").asString()));
            long grace = manifests.get(Deployment.class, "teal-gateway").getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            assertThat(Duration.ofSeconds(grace)).as("values %s", values).isGreaterThan(sum);
            assertThat(container(manifests, "teal-gateway").getLifecycle())
                    .as("the gateway delays itself; a preStop hook would only add to it").isNull();
        }
    }

    @Test
    void gatewayStartsInKubernetesModeWithJvmFlagsBeforeTheJar() {
        Container gateway = container(TealChart.render(), "teal-gateway");
        assertThat(gateway.getCommand()).containsExactly("java");
        assertThat(gateway.getArgs()).containsSubsequence("-XX:+UseParallelGC", "-XX:MaxRAMPercentage=75", "-jar", "/app/teal-gateway.jar")
                .containsSubsequence("-jar", "/app/teal-gateway.jar", "--kubernetes", "--config", "/etc/teal/gateway.yaml",
                        "--ingress-class", "teal", "--publish-service", "edge/teal-gateway")
                .doesNotContain("--namespace");
        assertThat(gateway.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/etc/teal");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(gateway.getImage()).isEqualTo("ghcr.io/teal-dev/teal-gateway:0.1.0");
    }

    @Test
    void controllerFindsTheGatewaysThroughTheAdminService() {
        var manifests = TealChart.render();
        Service admin = manifests.get(Service.class, "teal-gateway-admin");
        assertThat(admin.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(admin.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(9901);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("admin");
        });
        assertThat(admin.getSpec().getSelector()).isEqualTo(
                manifests.get(Deployment.class, "teal-gateway").getSpec().getSelector().getMatchLabels());
        Container controller = container(manifests, "teal-controller");
        assertThat(controller.getArgs())
                .containsSubsequence("-jar", "/app/teal-controller.jar")
                .containsSubsequence("--gateway-namespace", "edge")
                .containsSubsequence("--gateway-admin-service", "teal-gateway-admin")
                .containsSubsequence("--gateway-admin-port", "9901")
                .containsSubsequence("--lease-name", "teal-controller")
                .containsSubsequence("--lease-namespace", "edge")
                .containsSubsequence("--metrics-listen", "0.0.0.0:9902");
        assertThat(controller.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("POD_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
        assertThat(manifests.get(Deployment.class, "teal-controller").getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void watchNamespaceIsPassedToGatewayAndController() {
        var manifests = TealChart.render(TealChart.ALL_FEATURES_ON);
        assertThat(container(manifests, "teal-gateway").getArgs()).containsSubsequence("--namespace", "shop");
        assertThat(container(manifests, "teal-controller").getArgs()).containsSubsequence("--namespace", "shop");
    }

    @Test
    void gatewayServiceExposesOnlyTheProxyPortWithConfigurableType() {
        for (String type : List.of("LoadBalancer", "NodePort", "ClusterIP")) {
            Service service = TealChart.render("gateway: {service: {type: " + type + "}}").get(Service.class, "teal-gateway");
            assertThat(service.getSpec().getType()).isEqualTo(type);
            assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getPort()).isEqualTo(80);
                assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
            });
        }
    }

    @Test
    void gatewayRunsTwoReplicasSpreadOverNodesWithADisruptionBudget() {
        var manifests = TealChart.render();
        Deployment gateway = manifests.get(Deployment.class, "teal-gateway");
        assertThat(gateway.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        var antiAffinity = gateway.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(term -> {
                    assertThat(term.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                    assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
                            .isEqualTo(gateway.getSpec().getSelector().getMatchLabels());
                });
        PodDisruptionBudget pdb = manifests.get(PodDisruptionBudget.class, "teal-gateway");
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(gateway.getSpec().getSelector().getMatchLabels());
        assertThat(gateway.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        assertThat(container(manifests, "teal-gateway").getResources().getLimits()).containsKey("memory");
    }

    @Test
    void autoscalerReplacesTheFixedReplicaCount() {
        var manifests = TealChart.render(TealChart.ALL_FEATURES_ON);
        assertThat(manifests.get(Deployment.class, "teal-gateway").getSpec().getReplicas()).isNull();
        HorizontalPodAutoscaler hpa = manifests.get(HorizontalPodAutoscaler.class, "teal-gateway");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("teal-gateway");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
    }

    @Test
    void ingressClassTealBelongsToTealGateways() {
        IngressClass ingressClass = TealChart.render().get(IngressClass.class, "teal");
        assertThat(ingressClass.getSpec().getController()).isEqualTo("teal.dev/gateway");
        assertThat(ingressClass.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void imagesRunAsTheChartsUserAndHoldTheJarsTheChartStarts() throws IOException {
        var manifests = TealChart.render();
        for (String piece : List.of("gateway", "controller")) {
            String dockerfile = Files.readString(Path.of("..", piece, "Dockerfile"));
            Long uid = manifests.get(Deployment.class, "teal-" + piece).getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
            assertThat(dockerfile).contains("USER " + uid + ":" + uid)
                    .contains("COPY " + piece + "/target/teal-" + piece + ".jar /app/teal-" + piece + ".jar")
                    .contains("-t ghcr.io/teal-dev/teal-" + piece + ":0.1.0");
        }
    }

    static Container container(TealChart.Manifests manifests, String deployment) {
        return manifests.get(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static JsonNode gatewayConfig(TealChart.Manifests manifests) {
        String yaml = manifests.get(ConfigMap.class, "teal-gateway").getData().get("gateway.yaml");
        return TealChart.YAML.readTree(yaml);
    }

    private static void assertHttpProbe(Probe probe, String path, String port) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(port);
    }
}
