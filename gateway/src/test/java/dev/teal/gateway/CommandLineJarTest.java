package dev.teal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.contract.BuildInfo;
import dev.teal.gateway.demo.DemoBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar as an operator runs it ({@code java -jar teal-gateway.jar ...}): flags, exit codes, the log it
 * writes, and signals. Runs in the integration-test phase, after the shade plugin built the jar (see the pom).
 */
class CommandLineJarTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern ADMIN = Pattern.compile("admin=\"127\\.0\\.0\\.1:(\\d+)\"");
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

    @Test
    void versionPrintsVersionRevisionAndJavaOnStdoutAndExitsZero() throws Exception {
        Run r = run(List.of("--version"), Map.of());
        assertThat(r.code).isZero();
        assertThat(r.out.strip()).matches("teal-gateway \\S+ \\(revision ([0-9a-f]{7,40}|unknown), java \\S+\\)")
                .contains(BuildInfo.current().version(), System.getProperty("java.version"))
                .doesNotContain("${");
        assertThat(r.err).isEmpty();
    }

    @Test
    void helpPrintsUsageWithEachOptionsDefaultOnStdoutAndExitsZero() throws Exception {
        Run r = run(List.of("--help"), Map.of());
        assertThat(r.code).isZero();
        assertThat(r.out).contains("usage:", "--config FILE", "--check", "--version", "--kubernetes",
                "default: the embedded teal-default.yaml", "(default: teal)", "(default: 9)", "SIGHUP");
        assertThat(r.err).isEmpty();
        assertThat(run(List.of("-h"), Map.of()).out).isEqualTo(r.out);
    }

    @Test
    void unknownArgumentExitsTwoWithTheProblemAndUsageOnStderr() throws Exception {
        Run r = run(List.of("--bogus"), Map.of());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("unknown argument '--bogus'", "usage:");
        assertThat(r.out).isEmpty();
    }

    @Test
    void checkSaysOkForAValidFileAndBindsNothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // a gateway that started would fail to bind this port; --check must not even try
            Path cfg = write("good.yaml", """
                    listen: 127.0.0.1:%d
                    admin: 127.0.0.1:0
                    services:
                      shop:
                        active: blue
                        colors:
                          blue: [127.0.0.1:9]
                    """.formatted(taken.getLocalPort()));
            Run r = run(List.of("--check", "--config", cfg.toString()), Map.of());
            assertThat(r.code).isZero();
            assertThat(r.out).isEqualTo("ok\n");
            assertThat(r.err).isEmpty();
        }
        Run embedded = run(List.of("--check"), Map.of());
        assertThat(embedded.code).isZero();
        assertThat(embedded.out).isEqualTo("ok\n");
    }

    @Test
    void checkPrintsEachErrorOnOneLineWithoutADoubledPathAndExitsOne() throws Exception {
        Path bad = write("bad.yaml", """
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [127.0.0.1:9001, "x"]
                """);
        Run r = run(List.of("--check", "--config", bad.toString()), Map.of());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.out).isEmpty();
        assertThat(r.err).isEqualTo("services.shop.colors.blue[1]: 'x' is not host:port\n");

        Path broken = write("broken.yaml", "services:\n  shop: [\n    active: blue\n  colors: {\n");
        Run y = run(List.of("--check", "--config", broken.toString()), Map.of());
        assertThat(y.code).isEqualTo(1);
        assertThat(y.err.lines()).hasSize(1).first().asString().startsWith("not valid YAML at line ");
    }

    @Test
    void missingConfigFileIsNamedWithItsPath() throws Exception {
        Path missing = dir.resolve("nonexist.yaml");
        Run check = run(List.of("--check", "--config", missing.toString()), Map.of());
        assertThat(check.code).isEqualTo(1);
        assertThat(check.err).isEqualTo("config file does not exist: " + missing + "\n");

        Run start = run(List.of("--config", missing.toString()), Map.of());
        assertThat(start.code).isEqualTo(2);
        assertThat(start.out).contains("cannot start: invalid configuration",
                "error=\"config file does not exist: " + missing + "\"");
    }

    /** SIGHUP re-reads the file through the reload path; a bad file is refused and the process keeps serving. */
    @Test
    void sighupReloadsTheFileAndABadFileKeepsTheRunningState() throws Exception {
        try (DemoBackend blue = DemoBackend.start("blue", 0); DemoBackend green = DemoBackend.start("green", 0)) {
            String good = """
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    services:
                      shop:
                        active: %s
                        colors:
                          blue: [%s]
                          green: [%s]
                    """;
            Path cfg = write("teal.yaml", good.formatted("blue", blue.address(), green.address()));
            Path log = dir.resolve("out.log");
            // SIGHUP's default disposition, whatever this test inherited (under nohup it is ignored, and the JVM
            // leaves an ignored signal ignored: see sighupIgnoredByTheParentIsNamedAtStart)
            Process p = start(List.of("--config", cfg.toString()), Map.of(), log, "--default-signal=HUP");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("gateway started"));
                String started = line(log, "gateway started");
                assertThat(started).contains("config=\"file: " + cfg + "\"");
                assertThat(Files.readString(log)).doesNotContain("SIGHUP cannot be handled");
                int admin = adminPort(started);

                // the file is unchanged: only the signal can cause this reload
                hup(p);
                // untilAsserted: a timeout shows the whole log
                await().atMost(Duration.ofSeconds(30)).untilAsserted(
                        () -> assertThat(Files.readString(log)).contains("changed=\"nothing\""));
                assertThat(Files.readString(log)).contains("msg=\"reload requested\" trigger=\"SIGHUP\"");
                assertThat(p.isAlive()).isTrue();

                // a YAML error: refused as one physical log line; the running configuration stays
                Files.writeString(cfg, "services:\n  shop: [\n    active: green\n");
                hup(p);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(
                        () -> assertThat(Files.readString(log)).contains("config rejected"));
                String rejected = line(log, "config rejected");
                assertThat(rejected).contains("error=\"not valid YAML at line");
                assertThat(p.isAlive()).isTrue();
                assertThat(get(admin, "/status")).contains("\"serving\":\"blue\"");

                // a good file applies the change
                Files.writeString(cfg, good.formatted("green", blue.address(), green.address()));
                hup(p);
                await().atMost(Duration.ofSeconds(30)).until(() -> get(admin, "/status").contains("\"serving\":\"green\""));

                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
                // every event is one physical line: each line starts with its timestamp
                assertThat(Files.readAllLines(log)).allMatch(l -> l.startsWith("ts="));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void jsonLogFormatWritesOneJsonObjectPerLine() throws Exception {
        Path log = dir.resolve("json.log");
        Path cfg = write("teal.yaml", """
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [127.0.0.1:9]
                """);
        Process p = start(List.of("--config", cfg.toString()), Map.of("TEAL_LOG_FORMAT", "json"), log);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("gateway started"));
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<JsonNode> lines = new ArrayList<>();
            for (String l : Files.readAllLines(log)) {
                lines.add(JSON.readTree(l));
            }
            JsonNode started = lines.stream().filter(n -> n.get("msg").asString().equals("gateway started"))
                    .findFirst().orElseThrow();
            assertThat(started.get("level").asString()).isEqualTo("INFO");
            assertThat(started.get("config").asString()).isEqualTo("file: " + cfg);
            assertThat(started.get("services").asInt()).isEqualTo(1);
            JsonNode shutdown = lines.stream().filter(n -> n.get("msg").asString().equals("shutdown started"))
                    .findFirst().orElseThrow();
            assertThat(shutdown.get("timeout").asString()).isEqualTo("30s");
        } finally {
            p.destroyForcibly();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private record Run(int code, String out, String err) {
    }

    private Run run(List<String> args, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = command(args, env).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exited").isTrue();
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    private Process start(List<String> args, Map<String, String> env, Path log) throws IOException {
        return command(args, env).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Started through coreutils {@code env SIGNAL_OPTION} (e.g. {@code --default-signal=HUP}), which then execs java. */
    private Process start(List<String> args, Map<String, String> env, Path log, String signalOption)
            throws IOException {
        ProcessBuilder pb = command(args, env);
        List<String> cmd = new ArrayList<>(List.of("env", signalOption));
        cmd.addAll(pb.command());
        return pb.command(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void sighupIgnoredByTheParentIsNamedAtStart() throws Exception {
        try (DemoBackend blue = DemoBackend.start("blue", 0)) {
            Path cfg = write("teal.yaml", """
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    services:
                      shop:
                        active: blue
                        colors: {blue: [%s]}
                    """.formatted(blue.address()));
            Path log = dir.resolve("ignored.log");
            Process p = start(List.of("--config", cfg.toString()), Map.of(), log, "--ignore-signal=HUP");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("gateway started"));
                assertThat(Files.readString(log)).contains("SIGHUP cannot be handled in this JVM");
                hup(p); // stays ignored: the process keeps serving
                p.destroy(); // SIGTERM
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static ProcessBuilder command(List<String> args, Map<String, String> env) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TEAL_LOG_FORMAT");
        pb.environment().putAll(env);
        return pb;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static void hup(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private static String line(Path log, String msg) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("msg=\"" + msg)).findFirst().orElseThrow();
    }

    private static int adminPort(String startedLine) {
        Matcher m = ADMIN.matcher(startedLine);
        assertThat(m.find()).as("admin address in " + startedLine).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
