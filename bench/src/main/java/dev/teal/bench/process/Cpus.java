package dev.teal.bench.process;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Core assignment: the load generator (wrk, or this JVM for the Java generators) on {@link #LOAD}, the proxy under test
 * and its backends on {@link #SERVER}. On a machine with one core, or with pinning turned off, nothing is pinned
 * ({@link #NONE}).
 */
public record Cpus(int load, int server) {
    public static final int LOAD = 0;
    public static final int SERVER = 1;
    public static final Cpus NONE = new Cpus(-1, -1);

    public static Cpus choose(boolean pin) {
        if (!pin || Runtime.getRuntime().availableProcessors() < 2 || !Tools.available("taskset")) {
            return NONE;
        }
        return new Cpus(LOAD, SERVER);
    }

    public boolean pinned() {
        return load >= 0;
    }

    /** Pins every current thread of this JVM to the load core; threads started later inherit it. */
    public void pinThisJvmToLoadCore() throws IOException, InterruptedException {
        if (!pinned()) {
            return;
        }
        Process p = new ProcessBuilder(List.of(Tools.require("taskset"), "-a", "-p", "-c", Integer.toString(load),
                Long.toString(ProcessHandle.current().pid())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset could not pin the bench JVM to cpu " + load);
        }
    }

    public String describe() {
        return pinned()
                ? "load generator on cpu " + load + ", proxy and backends on cpu " + server + " (taskset)"
                : "not pinned";
    }
}
