package dev.teal.bench.load;

import dev.teal.bench.process.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code h2load} (Debian {@code nghttp2-client}; one thread, pinned to the load core), always bounded by a request
 * count and a wall-clock limit, and parses its result. Certificates are not verified (h2load does not), so a
 * self-signed one serves.
 */
public final class H2load {
    public static final String PROGRAM = "h2load";
    public static final String INSTALL_HINT = "apt-get install nghttp2-client";

    private final String binary;
    private final int cpu;
    private final Path rawLog;
    private final Path requestLog;
    private final Path stdout;

    public H2load(Path workDir, int cpu) throws IOException {
        this.binary = Tools.require(PROGRAM, "the tls scenario needs it: " + INSTALL_HINT);
        this.cpu = cpu;
        Files.createDirectories(workDir);
        this.rawLog = workDir.resolve("h2load-output.log");
        this.requestLog = workDir.resolve("h2load-requests.log");
        this.stdout = workDir.resolve("h2load-stdout.txt");
    }

    /**
     * HTTP/2 over TLS: {@code clients} connections, {@code streams} concurrent streams each, {@code requests} in all;
     * with p50/p99 from the per-request log.
     */
    public H2loadResult h2(String url, int clients, int streams, long requests, Duration limit)
            throws IOException, InterruptedException {
        Files.deleteIfExists(requestLog);
        H2loadResult r = run(List.of("-t1", "-c" + clients, "-m" + streams, "-n" + requests,
                "--log-file=" + requestLog, url), limit);
        return H2loadOutput.withLatencies(r, Files.readString(requestLog));
    }

    /**
     * HTTP/1.1 over TLS, one request per connection: {@code clients} connections opened at once, each a full handshake
     * (a fresh h2load process has no session to resume) and one request.
     */
    public H2loadResult handshakes(String url, int clients, Duration limit) throws IOException, InterruptedException {
        return run(List.of("-t1", "--h1", "-c" + clients, "-n" + clients, url), limit);
    }

    private H2loadResult run(List<String> args, Duration limit) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (cpu >= 0) {
            cmd.addAll(List.of(Tools.require("taskset"), "-c", Integer.toString(cpu)));
        }
        cmd.add(binary);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        // h2load ends by itself after -n requests; the limit is the backstop
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            throw new IOException("h2load did not end within " + limit + "; killed");
        }
        String text = Files.readString(stdout, StandardCharsets.UTF_8);
        Files.writeString(rawLog, "$ " + String.join(" ", cmd) + "\n" + text + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (p.exitValue() != 0) {
            throw new IOException("h2load exited " + p.exitValue() + ":\n" + text);
        }
        return H2loadOutput.parse(text);
    }
}
