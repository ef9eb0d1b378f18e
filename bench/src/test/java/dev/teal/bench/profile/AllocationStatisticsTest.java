package dev.teal.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JFR recording made by the test in its own JVM (a named thread allocates a known amount while it records),
 * printed by the JDK's {@code jfr print --json}, as {@link Profiler} does against the targets.
 */
class AllocationStatisticsTest {
    private static final int MIB = 1024 * 1024;
    static volatile Object sink;

    @Test
    void aThreadsBytesAreWhatItAllocatedBetweenTheFirstAndTheLastEvent(@TempDir Path dir) throws Exception {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        assumeTrue(Files.isExecutable(jfr), "the JDK's jfr tool is missing");
        Path file = dir.resolve("a.jfr");
        Thread allocator;
        try (Recording r = new Recording()) {
            r.enable("jdk.ThreadAllocationStatistics").with("period", "everyChunk");
            allocator = new Thread(() -> {
                for (int i = 0; i < 64; i++) {
                    sink = new byte[MIB];
                }
            }, "alloc-before");
            allocator.start();
            allocator.join(); // allocated and ended before start(): must not count
            r.start();
            // this test thread allocates 32 MiB while the recording runs
            for (int i = 0; i < 32; i++) {
                sink = new byte[MIB];
            }
            r.stop();
            r.dump(file);
        }
        Process p = new ProcessBuilder(jfr.toString(), "print", "--json", "--events", "jdk.ThreadAllocationStatistics",
                file.toString()).redirectErrorStream(true).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(json).isZero();

        Map<String, Long> perThread = AllocationStatistics.perThread(json);

        String self = Thread.currentThread().getName();
        assertThat(perThread).containsKey(self);
        assertThat(perThread.get(self)).isBetween(32L * MIB, 40L * MIB);
        assertThat(perThread).doesNotContainKey("alloc-before"); // ended before the recording
    }

    @Test
    void textThatIsNotJfrJsonIsRefused() {
        assertThatThrownBy(() -> AllocationStatistics.perThread("{\"something\": 1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("recording.events");
    }
}
