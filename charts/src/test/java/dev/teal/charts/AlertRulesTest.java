package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PrometheusRule's alerts, evaluated by Prometheus' own rule engine: {@code promtool test rules}
 * on synthetic series (src/test/resources/alerts-test.yaml). promtool comes from Debian's
 * {@code prometheus} package (bin/test installs it); the test fails when it is missing.
 */
class AlertRulesTest {
    private Path dir;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory("teal-alerts");
    }

    @AfterEach
    void deleteDir() {
        TealChart.deleteRecursively(dir);
    }

    @Test
    void alertsFireOnSyntheticSeriesAsPromtoolUnitTestsExpect() throws Exception {
        writeRuleGroups(dir.resolve("teal-rules.yaml"));
        Files.copy(Path.of(getClass().getResource("/alerts-test.yaml").toURI()), dir.resolve("alerts-test.yaml"));

        Result check = promtool("check", "rules", "teal-rules.yaml");
        assertThat(check.exitCode()).as("promtool check rules:%n%s", check.output()).isZero();
        Result test = promtool("test", "rules", "alerts-test.yaml");
        assertThat(test.exitCode()).as("promtool test rules:%n%s", test.output()).isZero();
    }

    @Test
    void everyAlertHasAUnitTest() throws Exception {
        String tests = Files.readString(Path.of(getClass().getResource("/alerts-test.yaml").toURI()));
        for (String alert : alertNames()) {
            assertThat(tests).as("alerts-test.yaml tests %s", alert).contains("alertname: " + alert);
        }
        assertThat(alertNames()).containsExactlyInAnyOrder(
                "TealCutoverStuck", "TealDrainTimedOut", "TealServingColorErrorRatioHigh", "TealGatewaysDisagree");
    }

    /** The rendered PrometheusRule's spec.groups, in a rule file of Prometheus' own format. */
    static void writeRuleGroups(Path file) throws IOException {
        Files.writeString(file, TealChart.YAML.writeValueAsString(Map.of("groups", ruleGroups())));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> ruleGroups() {
        var manifests = TealChart.render(TealChart.ALL_FEATURES_ON);
        var rule = (GenericKubernetesResource) manifests.get("PrometheusRule", "teal");
        var spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
        return (List<Map<String, Object>>) spec.get("groups");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rules() {
        return ruleGroups().stream().flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
    }

    private static List<String> alertNames() {
        return rules().stream().map(r -> (String) r.get("alert")).toList();
    }

    record Result(int exitCode, String output) {}

    private Result promtool(String... args) throws IOException, InterruptedException {
        Path promtool = Stream.of(System.getenv("PATH").split(":"), new String[] {"/usr/bin", "/usr/sbin"})
                .flatMap(Stream::of)
                .map(d -> Path.of(d, "promtool"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError("promtool is not installed: apt-get install prometheus (bin/test does this)"));
        List<String> command = Stream.concat(Stream.of(promtool.toString()), Stream.of(args)).toList();
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("promtool ended within 60 s; output:%n%s", output).isTrue();
        return new Result(process.exitValue(), output);
    }
}
