package dev.teal.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged controller jar's flags; runs in the integration-test phase, after the shade plugin built it. */
class CommandLineJarTest {
    private static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void packagedJar() {
        String p = System.getProperty("teal.jar");
        Assumptions.assumeTrue(p != null, "runs in the integration-test phase, against the packaged jar");
        jar = Path.of(p);
        assertThat(jar).exists();
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("KUBECONFIG", dir.resolve("none").toString()); // no cluster is ever contacted
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void versionPrintsVersionRevisionAndJavaAndExitsZero() throws Exception {
        Run r = run("--version");
        assertThat(r.code).isZero();
        assertThat(r.out.strip()).matches("teal-controller \\S+ \\(revision ([0-9a-f]{7,40}|unknown), java \\S+\\)")
                .doesNotContain("${");
        assertThat(r.err).isEmpty();
    }

    @Test
    void helpPrintsEveryOptionWithItsDefaultAndExitsZero() throws Exception {
        Run r = run("--help");
        assertThat(r.code).isZero();
        assertThat(r.out).contains("usage: teal-controller", "--namespace NS", "(default: all namespaces)",
                "--gateway-admin-port PORT", "(default: 9901)", "(default: teal-controller)",
                "(default: 0.0.0.0:9902)", "(default: teal-gateway-admin)", "--version");
        assertThat(r.err).isEmpty();
    }

    @Test
    void unknownOptionExitsTwoWithTheProblemOnStderr() throws Exception {
        Run r = run("--bogus", "x");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("unknown option --bogus", "usage: teal-controller");
    }
}
