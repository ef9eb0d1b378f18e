package dev.teal.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.teal.bench.process.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strace -c -U name,calls,errors} tables: one checked in from a real {@code compare --quick --profile} run
 * (strace 6.1 attached to the nginx target, 2026-11-29), one produced by the test itself with the installed strace.
 */
class StraceSummaryTest {

    @Test
    void readsCallsErrorsAndTheTotalOfARealNginxSummary() throws IOException {
        String text;
        try (InputStream in = StraceSummaryTest.class.getResourceAsStream("strace-nginx-tiny-c64.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        StraceSummary s = StraceSummary.parse(text);

        assertThat(s.calls()).containsExactly(
                java.util.Map.entry("writev", 12112L), java.util.Map.entry("recvfrom", 12113L),
                java.util.Map.entry("getsockopt", 6080L), java.util.Map.entry("epoll_wait", 191L),
                java.util.Map.entry("epoll_ctl", 129L), java.util.Map.entry("setsockopt", 64L),
                java.util.Map.entry("accept4", 66L), java.util.Map.entry("close", 1L));
        assertThat(s.total()).isEqualTo(30756);
        assertThat(s.errors()).isEqualTo(1);
    }

    @Test
    void readsTheSummaryTheInstalledStraceWritesForARealProcess(@TempDir Path dir) throws Exception {
        assumeTrue(Tools.available("strace"), "strace is not installed");
        Path out = dir.resolve("summary.txt");
        Process p = new ProcessBuilder(Tools.require("strace"), "-c", "-f", "-U", "name,calls,errors", "-o",
                out.toString(), "--", "/bin/sh", "-c", "ls / > /dev/null; ls /nonexistent 2> /dev/null; true")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assumeTrue(p.exitValue() == 0, "strace cannot trace here (no ptrace permission?)");

        StraceSummary s = StraceSummary.parse(Files.readString(out));

        assertThat(s.calls()).containsKey("execve");
        assertThat(s.calls().get("execve")).isGreaterThanOrEqualTo(3); // sh and two ls
        assertThat(s.total()).isEqualTo(s.calls().values().stream().mapToLong(Long::longValue).sum());
        assertThat(s.errors()).isPositive(); // at least the failed stat of /nonexistent
    }

    @Test
    void textThatIsNotASummaryTableIsRefusedWithTheLine() {
        assertThatThrownBy(() -> StraceSummary.parse("strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted\n"
                + "% time     seconds  usecs/call     calls    errors syscall\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("% time");
        assertThatThrownBy(() -> StraceSummary.parse(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no strace summary table");
        assertThatThrownBy(() -> StraceSummary.parse("syscall calls errors\nread many\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read many");
    }
}
