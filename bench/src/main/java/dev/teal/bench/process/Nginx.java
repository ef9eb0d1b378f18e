package dev.teal.bench.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An nginx child process with everything (config, pid, logs, temp files) in its own directory, one worker, in the
 * foreground. Used both as the fast static backend and as the nginx peer.
 */
public final class Nginx implements AutoCloseable {
    private final Path dir;
    private final ManagedProcess process;

    private Nginx(Path dir, ManagedProcess process) {
        this.dir = dir.toAbsolutePath();
        this.process = process;
    }

    /** Starts nginx with the given {@code http { ... }} content and waits until {@code listen} accepts. */
    public static Nginx start(String name, Path dir, String httpBlock, InetSocketAddress listen, int cpu)
            throws IOException, InterruptedException {
        dir = dir.toAbsolutePath();
        String binary = Tools.require("nginx");
        Files.createDirectories(dir.resolve("tmp"));
        writeConfig(dir, httpBlock);
        ManagedProcess p = ManagedProcess.start(name,
                List.of(binary, "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(), "-g", "daemon off;"),
                cpu, dir);
        try {
            Ports.awaitListening(listen, Duration.ofSeconds(20), p);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return new Nginx(dir, p);
    }

    private static void writeConfig(Path dir, String httpBlock) throws IOException {
        Path tmp = dir.resolve("tmp");
        // as root, nginx's workers would run as nobody and could not read a private (0700) work dir
        String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
        String conf = user + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                worker_rlimit_nofile 20000;
                events { worker_connections 16384; multi_accept on; }
                http {
                  access_log off;
                  client_body_temp_path %2$s/body;
                  proxy_temp_path %2$s/proxy;
                  fastcgi_temp_path %2$s/fastcgi;
                  uwsgi_temp_path %2$s/uwsgi;
                  scgi_temp_path %2$s/scgi;
                  keepalive_requests 100000000;
                  keepalive_timeout 300s;
                %3$s
                }
                """.formatted(dir, tmp, httpBlock.indent(2));
        Path file = dir.resolve("nginx.conf.new");
        Files.writeString(file, conf);
        Files.move(file, dir.resolve("nginx.conf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Rewrites the config and runs {@code nginx -s reload}; returns when that command returns (nginx then starts new
     * workers and retires the old ones gracefully, in the background).
     */
    public void reload(String httpBlock) throws IOException, InterruptedException {
        writeConfig(dir, httpBlock);
        Process p = new ProcessBuilder(Tools.require("nginx"), "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(),
                "-s", "reload")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("reload.log").toFile()))
                .start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("nginx -s reload failed; see " + dir.resolve("reload.log"));
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
