package dev.teal.gateway.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads a config file when it changes: inotify on its folder for speed, and a one-second content check as a
 * fallback (Kubernetes ConfigMap volumes swap a symlink, which some watchers miss). A file that does not parse is
 * reported once per content and changes nothing.
 */
public final class ConfigFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final Consumer<GatewayConfig> onValid;
    private final Consumer<ConfigException> onInvalid;
    private final WatchService watch;
    private final Thread thread;
    private volatile boolean running = true;
    private byte[] lastSeen;

    public ConfigFileWatcher(Path file, byte[] appliedContent, Consumer<GatewayConfig> onValid,
                             Consumer<ConfigException> onInvalid) throws IOException {
        this.file = file.toAbsolutePath();
        this.lastSeen = appliedContent;
        this.onValid = onValid;
        this.onInvalid = onInvalid;
        this.watch = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "teal-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                var key = watch.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                    Thread.sleep(50); // let an editor finish writing before reading
                }
                check();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.atError().addKeyValue("file", file).addKeyValue("error", e.toString()).log("config watch failed");
            }
        }
    }

    /** Reads the file now and applies it if its content changed. */
    public synchronized void check() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return; // mid-replace or deleted: the running state stays; the next change is picked up
        }
        if (Arrays.equals(content, lastSeen)) {
            return;
        }
        lastSeen = content;
        GatewayConfig parsed;
        try {
            parsed = ConfigParser.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8));
        } catch (ConfigException e) {
            LOG.atError().addKeyValue("file", file).addKeyValue("error", e.getMessage())
                    .log("config rejected; the running configuration is kept");
            onInvalid.accept(e);
            return;
        }
        try {
            onValid.accept(parsed);
        } catch (ConfigException e) {
            LOG.atError().addKeyValue("file", file).addKeyValue("error", e.getMessage())
                    .log("config rejected; the running configuration is kept");
            onInvalid.accept(e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            watch.close();
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("error", e.toString()).log("closing the config watch failed");
        }
    }
}
