package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.controller.ControllerSettings;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.discovery.ClusterMode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command lines the chart renders are accepted by the real gateway and controller parsers, and they agree with
 * the rendered ports, Services and settings file: a flag renamed on either side fails here, not in a cluster.
 */
class ChartArgumentsTest {

    /** The program's own arguments: what follows {@code -jar <jar>}. */
    private static List<String> programArgs(Container c) {
        List<String> args = c.getArgs();
        int jar = args.indexOf("-jar");
        assertThat(jar).as("%s runs java -jar", c.getName()).isGreaterThanOrEqualTo(0);
        return new ArrayList<>(args.subList(jar + 2, args.size()));
    }

    private static int port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).map(ContainerPort::getContainerPort)
                .findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gatewayArgumentsAndSettingsFileParseWithTheRealParser(boolean allFeatures) {
        TealChart.Manifests m = allFeatures ? TealChart.render(TealChart.ALL_FEATURES_ON) : TealChart.render();
        Container gateway = WorkloadTest.container(m, "teal-gateway");
        List<String> args = programArgs(gateway);
        int config = args.indexOf("--config");
        assertThat(config).isGreaterThanOrEqualTo(0);
        Path file = TealChart.writeTemp("gateway", m.get(ConfigMap.class, "teal-gateway").getData().get("gateway.yaml"));
        try {
            args.set(config + 1, file.toString()); // the mounted ConfigMap, as the pod sees it
            ClusterGateway.Settings s = ClusterMode.parse(args.toArray(String[]::new));
            assertThat(s.base().listen().port()).isEqualTo(port(gateway, "http"));
            assertThat(s.base().admin().port()).isEqualTo(port(gateway, "admin"));
            assertThat(s.base().services()).isEmpty();
            assertThat(s.ingressClass()).isEqualTo("teal");
            assertThat(s.publishService()).isEqualTo(TealChart.NAMESPACE + "/" + m.get(Service.class, "teal-gateway")
                    .getMetadata().getName());
        } finally {
            TealChart.deleteQuietly(file);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void controllerArgumentsParseWithTheRealParserAndNameTheAdminService(boolean allFeatures) {
        TealChart.Manifests m = allFeatures ? TealChart.render(TealChart.ALL_FEATURES_ON) : TealChart.render();
        Container controller = WorkloadTest.container(m, "teal-controller");
        ControllerSettings s = dev.teal.controller.Main.parse(programArgs(controller).toArray(String[]::new),
                TealChart.NAMESPACE);
        Service admin = m.get(Service.class, s.gatewayAdminService());
        assertThat(admin).as("the admin Service the controller is told about exists").isNotNull();
        assertThat(admin.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(s.gatewayNamespace()).isEqualTo(TealChart.NAMESPACE);
        assertThat(s.gatewayAdminPort()).isEqualTo(port(WorkloadTest.container(m, "teal-gateway"), "admin"));
        assertThat(controller.getPorts()).extracting(ContainerPort::getContainerPort)
                .contains(s.metricsListen().port());
    }
}
