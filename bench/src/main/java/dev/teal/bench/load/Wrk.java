package dev.teal.bench.load;

import dev.teal.bench.process.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code wrk} (one thread, pinned to the load core) and parses its result. */
public final class Wrk {
    private final String binary;
    private final Path script;
    private final int cpu;
    private final Path rawLog;

    public Wrk(Path workDir, int cpu) throws IOException {
        this.binary = Tools.require("wrk");
        this.cpu = cpu;
        Files.createDirectories(workDir);
        this.script = workDir.resolve("wrk-report.lua");
        this.rawLog = workDir.resolve("wrk-output.log");
        try (InputStream in = Wrk.class.getResourceAsStream("wrk-report.lua")) {
            Files.write(script, in.readAllBytes());
        }
    }

    public WrkResult run(InetSocketAddress target, String path, int connections, Duration duration)
            throws IOException, InterruptedException {
        return run(target, path, connections, duration, null);
    }

    /** As {@link #run(InetSocketAddress, String, int, Duration)} with a {@code Host} header (null: wrk's own). */
    public WrkResult run(InetSocketAddress target, String path, int connections, Duration duration, String host)
            throws IOException, InterruptedException {
        return run("http://" + target.getHostString() + ":" + target.getPort() + path, connections, duration,
                host == null ? List.of() : List.of("Host: " + host));
    }

    /** wrk against {@code url} (http or https) with extra request headers ({@code Name: value}). */
    public WrkResult run(String url, int connections, Duration duration, List<String> headers)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0) {
            cmd.addAll(List.of(Tools.require("taskset"), "-c", Integer.toString(cpu)));
        }
        cmd.addAll(List.of(binary, "-t1", "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s",
                "--timeout", "5s", "-s", script.toString()));
        for (String h : headers) {
            cmd.addAll(List.of("-H", h));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("wrk did not end");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        Files.writeString(rawLog, "$ " + String.join(" ", cmd) + "\n" + text + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (p.exitValue() != 0) {
            throw new IOException("wrk exited " + p.exitValue() + ":\n" + text);
        }
        return WrkOutput.parse(text);
    }
}
