package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads a config file when it changes: inotify on its folder for speed, and a one-second content check as a
 * fallback (Kubernetes ConfigMap volumes swap a symlink, which some watchers miss). A file that does not parse is
 * reported once per content and changes nothing; a deleted file is reported once and changes nothing.
 * {@link #reload} does the same at once, whether or not the file changed (SIGHUP, {@code POST /reload}).
 */
public final class ConfigFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFileWatcher.class);

    private final Path file;
    private final Function<GatewayConfig, ReloadResult> onValid;
    private final Consumer<ConfigException> onInvalid;
    private final WatchService watch;
    private final Thread thread;
    private volatile boolean running = true;
    private byte[] lastSeen;
    private boolean missing;

    /**
     * @param onValid   applies a parsed configuration and says what changed; throws {@link ConfigException} to refuse
     * @param onInvalid told about every refused configuration (for the reload counter)
     */
    public ConfigFileWatcher(Path file, byte[] appliedContent, Function<GatewayConfig, ReloadResult> onValid,
                             Consumer<ConfigException> onInvalid) throws IOException {
        this(file, appliedContent, onValid, onInvalid, true);
    }

    private ConfigFileWatcher(Path file, byte[] appliedContent, Function<GatewayConfig, ReloadResult> onValid,
                              Consumer<ConfigException> onInvalid, boolean watching) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.lastSeen = appliedContent;
        this.onValid = onValid;
        this.onInvalid = onInvalid;
        if (!watching) {
            this.watch = null;
            this.thread = null;
            return;
        }
        this.watch = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "teal-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The same reload path without watching: the file is read only when {@link #check} or {@link #reload} is called
     * (for embedding, and for tests that must know which call applied a change).
     */
    public static ConfigFileWatcher onRequestOnly(Path file, byte[] appliedContent,
                                                  Function<GatewayConfig, ReloadResult> onValid,
                                                  Consumer<ConfigException> onInvalid) throws IOException {
        return new ConfigFileWatcher(file, appliedContent, onValid, onInvalid, false);
    }

    public Path file() {
        return file;
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
        if (!Files.exists(file)) {
            if (!missing) {
                missing = true;
                LOG.atWarn().addKeyValue("file", file)
                        .log("config file deleted or missing; the running configuration is kept");
            }
            return;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return; // mid-replace: the running state stays; the next change is picked up
        }
        if (missing) {
            missing = false;
            LOG.atInfo().addKeyValue("file", file).log("config file is back");
        }
        if (Arrays.equals(content, lastSeen)) {
            return;
        }
        lastSeen = content;
        GatewayConfig parsed;
        try {
            parsed = ConfigFile.parse(content);
        } catch (ConfigException e) {
            refused(e);
            return;
        }
        apply(parsed);
    }

    /**
     * Reads, checks and applies the file now, changed or not (SIGHUP, {@code POST /reload}); a file that cannot be
     * read or does not validate changes nothing.
     *
     * @param trigger what asked, for the log ({@code SIGHUP}, {@code POST /reload})
     */
    public synchronized ReloadResult reload(String trigger) {
        LOG.atInfo().addKeyValue("trigger", trigger).addKeyValue("file", file).log("reload requested");
        ConfigFile read;
        try {
            read = ConfigFile.read(file);
        } catch (ConfigException e) {
            refused(e);
            return ReloadResult.rejected(e.getMessage());
        }
        lastSeen = read.content();
        missing = false;
        return apply(read.config());
    }

    private ReloadResult apply(GatewayConfig parsed) {
        try {
            return onValid.apply(parsed);
        } catch (ConfigException e) {
            refused(e);
            return ReloadResult.rejected(e.getMessage());
        }
    }

    private void refused(ConfigException e) {
        LOG.atError().addKeyValue("file", file).addKeyValue("error", e.getMessage())
                .log("config rejected; the running configuration is kept");
        onInvalid.accept(e);
    }

    @Override
    public void close() {
        running = false;
        if (thread == null) {
            return;
        }
        thread.interrupt();
        try {
            watch.close();
        } catch (IOException e) {
            LOG.atDebug().addKeyValue("error", e.toString()).log("closing the config watch failed");
        }
    }
}
