package dev.teal.bench.profile;

import dev.teal.bench.load.WrkResult;
import dev.teal.bench.process.Tools;
import dev.teal.bench.target.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures, for a running target, bytes allocated per request (JFR through {@code jcmd}, JVM targets only) and system
 * calls per request ({@code strace -c}: for JVM targets attached to the event loop threads only, so that JIT compiler,
 * GC and timer threads do not count; for nginx and HAProxy to all their processes, whose workers are their event
 * loops). Each figure comes from its own extra
 * wrk run so that neither tool disturbs the other, nor the measured rounds of {@code compare}. When {@code strace},
 * {@code jcmd} or {@code jfr} is missing, or attaching fails, the figure is left out and the profile's note says why.
 */
public final class Profiler {
    private static final Logger log = LoggerFactory.getLogger(Profiler.class);
    /** Event loop thread name prefixes of the JVM targets. */
    private static final Map<String, String> EVENT_LOOP_THREADS = Map.of("teal", "teal-io-", "ceiling", "ceiling-io-");
    private static final String RECORDING = "teal-bench-allocation";
    private static final int TOP_SYSCALLS = 6;
    private static final long ATTACH_TIMEOUT_MS = 10_000;

    /** One wrk run against the target, returning wrk's result. */
    @FunctionalInterface
    public interface Load {
        WrkResult run() throws IOException, InterruptedException;
    }

    private final Path dir;
    private final String strace;
    private final String jcmd;
    private final String jfr;
    private int recordings;

    public Profiler(Path workDir) throws IOException {
        this.dir = workDir.resolve("profile");
        Files.createDirectories(dir);
        this.strace = Tools.available("strace") ? Tools.require("strace") : null;
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        this.jcmd = Files.isExecutable(bin.resolve("jcmd")) ? bin.resolve("jcmd").toString() : null;
        this.jfr = Files.isExecutable(bin.resolve("jfr")) ? bin.resolve("jfr").toString() : null;
        Files.writeString(dir.resolve("allocation.jfc"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="teal-bench allocation">
                  <event name="jdk.ThreadAllocationStatistics">
                    <setting name="enabled">true</setting>
                    <setting name="period">everyChunk</setting>
                  </event>
                </configuration>
                """);
    }

    /** What cannot be measured on this machine, one message each; empty when everything can. */
    public List<String> unavailable() {
        List<String> missing = new ArrayList<>();
        if (strace == null) {
            missing.add("strace is not installed (apt-get install strace): no system calls per request");
        }
        if (jcmd == null || jfr == null) {
            missing.add("jcmd or jfr is missing from " + System.getProperty("java.home")
                    + " (a JRE without the JDK tools): no bytes allocated per request");
        }
        return missing;
    }

    /** Profiles {@code target} in one cell; null for targets without a process of their own ({@code direct}). */
    public TargetProfile profile(Target target, String body, int connections, Load load)
            throws IOException, InterruptedException {
        if (target.pid() < 0) {
            return null;
        }
        List<String> notes = new ArrayList<>();
        Long allocRequests = null;
        Double eventLoopBytes = null;
        Double jvmBytes = null;
        String eventLoop = EVENT_LOOP_THREADS.get(target.name());
        if (eventLoop == null) {
            notes.add("not a JVM: no allocation figure");
        } else if (jcmd == null || jfr == null) {
            notes.add("jcmd/jfr missing: no allocation figure");
        } else {
            try {
                WrkResult r;
                Map<String, Long> perThread;
                Path recording = dir.resolve(target.name() + "-" + body + "-c" + connections + "-" + (++recordings)
                        + ".jfr");
                run(jcmd, String.valueOf(target.pid()), "JFR.start", "name=" + RECORDING,
                        "settings=" + dir.resolve("allocation.jfc"));
                try {
                    r = load.run();
                    run(jcmd, String.valueOf(target.pid()), "JFR.dump", "name=" + RECORDING, "filename=" + recording);
                } finally {
                    run(jcmd, String.valueOf(target.pid()), "JFR.stop", "name=" + RECORDING);
                }
                perThread = AllocationStatistics.perThread(run(jfr, "print", "--json", "--events",
                        "jdk.ThreadAllocationStatistics", recording.toString()));
                long loopBytes = perThread.entrySet().stream().filter(e -> e.getKey().startsWith(eventLoop))
                        .mapToLong(Map.Entry::getValue).sum();
                long allBytes = perThread.values().stream().mapToLong(Long::longValue).sum();
                if (r.requests() > 0) {
                    allocRequests = r.requests();
                    eventLoopBytes = (double) loopBytes / r.requests();
                    jvmBytes = (double) allBytes / r.requests();
                } else {
                    notes.add("no request completed under JFR");
                }
            } catch (IOException | RuntimeException e) {
                log.warn("profile target={} allocation failed: {}", target.name(), e.getMessage());
                notes.add("JFR failed: " + e.getMessage());
            }
        }
        Long straceRequests = null;
        Double syscalls = null;
        Map<String, Double> top = null;
        if (strace == null) {
            notes.add("strace missing: no syscall figure");
        } else {
            try {
                Path out = dir.resolve(target.name() + "-" + body + "-c" + connections + "-strace.txt");
                StraceRun s = straced(eventLoop == null ? withDescendants(target.pid())
                        : eventLoopThreads(target.pid(), eventLoop), eventLoop == null, out, load);
                if (s.requests() > 0) {
                    straceRequests = s.requests();
                    syscalls = (double) s.summary().total() / s.requests();
                    top = new LinkedHashMap<>();
                    for (Map.Entry<String, Long> e : s.summary().calls().entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                            .limit(TOP_SYSCALLS).toList()) {
                        top.put(e.getKey(), (double) e.getValue() / s.requests());
                    }
                } else {
                    notes.add("no request completed under strace");
                }
            } catch (IOException | RuntimeException e) {
                log.warn("profile target={} strace failed: {}", target.name(), e.getMessage());
                notes.add("strace failed: " + e.getMessage());
            }
        }
        return new TargetProfile(body, connections, target.name(), allocRequests, eventLoopBytes, jvmBytes,
                straceRequests, syscalls, top, notes.isEmpty() ? null : String.join("; ", notes));
    }

    private record StraceRun(long requests, StraceSummary summary) {}

    /**
     * strace attached to {@code pids} around one load run: with {@code allThreads} ({@code -f}) every thread of those
     * processes and their new children, else exactly those threads.
     */
    private StraceRun straced(List<Long> pids, boolean allThreads, Path out, Load load)
            throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            throw new IOException("no thread to attach to");
        }
        List<String> cmd = new ArrayList<>(List.of(strace, "-c", "-U", "name,calls,errors", "-o", out.toString()));
        if (allThreads) {
            cmd.add("-f");
        }
        for (long p : pids) {
            cmd.addAll(List.of("-p", Long.toString(p)));
        }
        Path err = Path.of(out + ".stderr");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(err.toFile()).start();
        WrkResult r;
        try {
            awaitAttached(p, err, pids.size());
            r = load.run();
        } finally {
            p.destroy(); // SIGTERM: strace detaches and writes the summary
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("strace did not detach within 30 s");
            }
        }
        if (!Files.isRegularFile(out) || Files.size(out) == 0) {
            throw new IOException("strace wrote no summary: " + tail(err));
        }
        return new StraceRun(r.requests(), StraceSummary.parse(Files.readString(out)));
    }

    /**
     * Waits until strace reports every process attached ({@code Process N attached} or {@code ... attached with M
     * threads}, one line per process); after the timeout, goes on if at least one is. Fails if strace exits.
     */
    private static void awaitAttached(Process p, Path err, int processes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ATTACH_TIMEOUT_MS);
        while (true) {
            if (!p.isAlive()) {
                throw new IOException("strace exited " + p.exitValue() + ": " + tail(err));
            }
            long attached = Files.exists(err)
                    ? Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> l.contains(" attached")).count()
                    : 0;
            if (attached >= processes || (attached > 0 && System.nanoTime() > deadline)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("strace attached to no thread within " + ATTACH_TIMEOUT_MS + " ms: " + tail(err));
            }
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }

    /** The ids of the threads of {@code pid} whose name starts with {@code prefix} (Linux: /proc/PID/task/TID/comm). */
    static List<Long> eventLoopThreads(long pid, String prefix) throws IOException {
        List<Long> tids = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
                        tids.add(Long.parseLong(task.getFileName().toString()));
                    }
                } catch (IOException ended) {
                    // the thread ended while we listed
                }
            }
        }
        if (tids.isEmpty()) {
            throw new IOException("no thread named " + prefix + "* in process " + pid);
        }
        return tids;
    }

    private static List<Long> withDescendants(long pid) {
        List<Long> all = new ArrayList<>(List.of(pid));
        for (int i = 0; i < all.size(); i++) {
            ProcessHandle.of(all.get(i)).ifPresent(h -> h.children().forEach(c -> all.add(c.pid())));
        }
        return all;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** Runs a JDK tool; returns its output, fails with it when the tool exits non-zero. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd[0] + " " + cmd[1] + " did not end");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(Path.of(cmd[0]).getFileName() + " " + cmd[cmd.length > 2 ? 2 : 1] + " exited "
                    + p.exitValue() + ": " + text.strip());
        }
        return text;
    }
}
