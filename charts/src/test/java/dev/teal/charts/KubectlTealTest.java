package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.controller.reconcile.CutoverStatus;
import dev.teal.controller.reconcile.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/kubectl-teal, run by bash with a stand-in {@code kubectl} first on PATH: the stand-in
 * records each call's arguments and answers {@code get} with canned annotations, so the test
 * sees the exact kubectl command lines the plugin runs.
 */
class KubectlTealTest {
    private static final Path PLUGIN = Path.of("..", "bin", "kubectl-teal");
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private static final String JSONPATH = "jsonpath={.metadata.annotations.teal\\.dev/active}{\"\\n\"}"
            + "{.metadata.annotations.teal\\.dev/serving}{\"\\n\"}{.metadata.annotations.teal\\.dev/status}{\"\\n\"}";

    private Path dir;
    private Path calls;
    private Path answer;

    record Run(int exitCode, String stdout, String stderr, List<List<String>> kubectlCalls) {}

    @BeforeEach
    void fakeKubectl() throws IOException {
        dir = Files.createTempDirectory("kubectl-teal");
        calls = dir.resolve("calls");
        answer = dir.resolve("answer");
        Files.writeString(answer, "");
        Path kubectl = dir.resolve("kubectl");
        // one line per call, arguments separated by the ASCII unit separator
        Files.writeString(kubectl, """
                #!/usr/bin/env bash
                { printf '%s\\037' "$@"; printf '\\n'; } >> "$FAKE_KUBECTL_CALLS"
                if [[ $1 == get ]]; then cat "$FAKE_KUBECTL_ANSWER"; fi
                """);
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void deleteDir() {
        TealChart.deleteRecursively(dir);
    }

    @Test
    void pluginIsExecutable() {
        assertThat(Files.isExecutable(PLUGIN)).isTrue();
    }

    @Test
    void switchAnnotatesTheActiveColor() throws Exception {
        Run run = run("switch", "shop", "green", "-n", "prod");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.kubectlCalls()).containsExactly(
                List.of("annotate", "--namespace", "prod", "service", "shop", "teal.dev/active=green", "--overwrite"));
        assertThat(run.stdout()).contains("kubectl teal status shop");
    }

    @Test
    void switchWithoutNamespaceUsesTheContextsNamespace() throws Exception {
        Run run = run("switch", "shop", "blue");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.kubectlCalls()).containsExactly(
                List.of("annotate", "service", "shop", "teal.dev/active=blue", "--overwrite"));
    }

    @Test
    void switchRejectsAColorThatIsNotADnsLabel() throws Exception {
        for (String color : List.of("green;touch pwned", "$(touch pwned)", "Green", "green-", "")) {
            Run run = run("switch", "shop", color);
            assertThat(run.exitCode()).as("color %s", color).isEqualTo(2);
            assertThat(run.stderr()).contains("is not a DNS label");
            assertThat(run.kubectlCalls()).isEmpty();
        }
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void switchRejectsABadServiceOrNamespace() throws Exception {
        assertThat(run("switch", "shop/x", "green").exitCode()).isEqualTo(2);
        assertThat(run("switch", "shop", "green", "-n", "a b").exitCode()).isEqualTo(2);
        assertThat(run("switch", "shop", "green", "--kubeconfig=/tmp/x").exitCode()).isEqualTo(2);
        assertThat(Files.exists(calls)).isFalse();
    }

    @Test
    void statusPrintsActiveServingAndStatus() throws Exception {
        Files.writeString(answer, "green\nblue\n{\"phase\":\"Switching\",\"serving\":\"blue\",\"message\":\"waiting for drain\"}\n");
        Run run = run("status", "shop", "--namespace=prod");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.kubectlCalls()).containsExactly(
                List.of("get", "--namespace", "prod", "service", "shop", "-o", JSONPATH));
        assertThat(run.stdout()).contains("service:  shop", "active:   green", "serving:  blue", "\"phase\"", "Switching",
                "waiting for drain");
    }

    @Test
    void statusNamesThePhaseOnItsOwnLine() throws Exception {
        Files.writeString(answer, "green\nblue\n{\"phase\":\"RolledBack\",\"serving\":\"blue\",\"message\":\"rolled back\"}\n");
        Run run = run("status", "shop");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("phase:    RolledBack");
    }

    @Test
    void retryAfterAGuardsRollbackSetsANewRetryValue() throws Exception {
        Run run = run("retry", "shop", "-n", "prod");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.kubectlCalls()).singleElement().satisfies(call -> {
            assertThat(call.subList(0, 5)).containsExactly("annotate", "--namespace", "prod", "service", "shop");
            assertThat(call.get(5)).matches("teal\\.dev/retry=\\d{8}T\\d{6}-\\d+");
            assertThat(call.get(6)).isEqualTo("--overwrite");
        });
    }

    @Test
    void rollbackAfterAGuardsRollbackAcceptsItBySettingActiveToTheServingColor() throws Exception {
        annotations("green", "blue", "{\"phase\":\"RolledBack\",\"serving\":\"blue\",\"message\":\"m\"}");
        Run run = run("rollback", "shop", "-n", "prod");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.kubectlCalls()).last().isEqualTo(annotate("blue"));
    }

    /** teal.dev/status exactly as the controller writes it. */
    private static String status(Phase phase, String serving, CutoverStatus.Cutover inProgress,
                                 CutoverStatus.LastCutover last) {
        return new CutoverStatus(phase, serving, "message with \"from\":\"red\" in it", T, inProgress, last, null).toJson();
    }

    private static CutoverStatus.LastCutover completed(String from, String to) {
        return new CutoverStatus.LastCutover(from, to, T.plusSeconds(4), 4.2, 2);
    }

    private static CutoverStatus.Cutover inProgress(String from, String to, boolean switched) {
        return new CutoverStatus.Cutover(from, to, T.plusSeconds(10), switched ? T.plusSeconds(11) : null);
    }

    private void annotations(String active, String serving, String status) throws IOException {
        Files.writeString(answer, active + "\n" + serving + "\n" + status + "\n");
    }

    private static List<String> annotate(String color) {
        return List.of("annotate", "--namespace", "prod", "service", "shop", "teal.dev/active=" + color, "--overwrite");
    }

    @Test
    void rollbackAfterACompletedCutoverGoesBackToTheColorItCameFrom() throws Exception {
        annotations("green", "green", status(Phase.Active, "green", null, completed("blue", "green")));
        Run run = run("rollback", "shop", "-n", "prod");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.kubectlCalls()).containsExactly(
                List.of("get", "--namespace", "prod", "service", "shop", "-o", JSONPATH), annotate("blue"));
    }

    /**
     * teal.dev/active was changed to green; teal.dev/serving is still blue (the controller has not switched yet, or
     * has not even written its status): rollback goes back to blue, never re-requests green from the last cutover.
     */
    @Test
    void rollbackBeforeTheSwitchGoesBackToTheServingColor() throws Exception {
        for (String st : List.of(
                status(Phase.Active, "blue", null, completed("green", "blue")), // the controller has not seen it yet
                status(Phase.Waiting, "blue", inProgress("blue", "green", false), completed("green", "blue")))) {
            annotations("green", "blue", st);
            Files.deleteIfExists(calls);
            Run run = run("rollback", "shop", "-n", "prod");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.kubectlCalls()).as(st).last().isEqualTo(annotate("blue"));
        }
    }

    @Test
    void rollbackWhileTheOldColorDrainsGoesBackToTheColorTheCutoverStartedFrom() throws Exception {
        for (Phase phase : List.of(Phase.Switching, Phase.Draining)) {
            annotations("green", "green", status(phase, "green", inProgress("blue", "green", true), completed("green", "blue")));
            Files.deleteIfExists(calls);
            Run run = run("rollback", "shop", "-n", "prod");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.kubectlCalls()).as(phase.name()).last().isEqualTo(annotate("blue"));
        }
    }

    @Test
    void rollbackRefusesWithoutAUsablePreviousColor() throws Exception {
        List<String> statuses = List.of(
                "", // no status yet
                status(Phase.Active, "blue", null, completed(null, "blue")), // only the first cutover so far
                status(Phase.Waiting, null, inProgress(null, "blue", false), null),
                "{\"phase\":\"Active\",\"serving\":\"green\",\"message\":\"m\",\"lastCutover\":{\"from\":\"$(touch pwned)\"}}");
        for (String st : statuses) {
            annotations(st.contains("\"serving\":\"green\"") ? "green" : "blue",
                    st.contains("\"serving\":\"green\"") ? "green" : st.contains("\"serving\"") ? "blue" : "", st);
            Files.deleteIfExists(calls);
            Run run = run("rollback", "shop");
            assertThat(run.exitCode()).as("status %s: %s", st, run.stderr()).isEqualTo(2);
            assertThat(run.kubectlCalls()).as("only the get").hasSize(1);
        }
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", PLUGIN.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        builder.environment().put("FAKE_KUBECTL_CALLS", calls.toString());
        builder.environment().put("FAKE_KUBECTL_ANSWER", answer.toString());
        builder.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl-teal ended").isTrue();
        List<List<String>> recorded = new ArrayList<>();
        if (Files.exists(calls)) {
            for (String line : Files.readAllLines(calls, StandardCharsets.UTF_8)) {
                String[] parts = line.split("\u001f", -1);
                recorded.add(List.of(parts).subList(0, parts.length - 1));
            }
        }
        return new Run(process.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")), recorded);
    }
}
