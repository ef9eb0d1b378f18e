package dev.teal.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time (user + system) a process and its descendants (nginx's workers) have used so far, from
 * {@code /proc/<pid>/stat}; 0 where there is no {@code /proc}.
 */
public final class ProcessCpu {
    /** {@code getconf CLK_TCK} on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    public static double seconds(long pid) {
        return ProcessHandle.of(pid)
                .map(h -> Stream.concat(Stream.of(h), h.descendants()).mapToLong(p -> ticks(p.pid())).sum())
                .orElse(0L) / TICKS_PER_SECOND;
    }

    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }
}
