package dev.teal.gateway;

import dev.teal.gateway.config.ConfigException;
import dev.teal.gateway.config.ConfigFileWatcher;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.demo.Demo;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.discovery.ClusterMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code [--config FILE]} runs standalone (the embedded default without it); {@code demo [--seconds N]}
 * runs the live demo. SIGTERM and SIGINT stop gracefully and exit 0.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        int code = run(args);
        // the log appender is asynchronous: stop it so the last lines are written before the JVM exits
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
            ctx.stop();
        }
        System.exit(code);
    }

    static int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("demo")) {
            int seconds = 9;
            if (args.length == 3 && args[1].equals("--seconds")) {
                seconds = Integer.parseInt(args[2]);
            }
            return Demo.run(seconds, System.out);
        }
        if (java.util.Arrays.asList(args).contains("--kubernetes")) {
            return runInCluster(args);
        }
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 >= args.length) {
                        return usage("--config needs a file");
                    }
                    file = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    usage(null);
                    return 0;
                }
                default -> {
                    return usage("unknown argument '" + args[i] + "'");
                }
            }
        }
        GatewayConfig config;
        byte[] content;
        try {
            if (file == null) {
                try (InputStream in = Main.class.getResourceAsStream("/teal-default.yaml")) {
                    content = in.readAllBytes();
                }
            } else {
                content = Files.readAllBytes(file);
            }
            config = ConfigParser.parse(new String(content, java.nio.charset.StandardCharsets.UTF_8));
        } catch (ConfigException | IOException e) {
            LOG.atError().addKeyValue("file", file == null ? "embedded default" : file)
                    .addKeyValue("error", e.getMessage()).log("cannot start: invalid configuration");
            return 2;
        }
        // the handler is in place before anything starts, so a SIGTERM at any moment ends in a graceful stop (exit 0)
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onTerminate(stopRequested::countDown);
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("error", String.valueOf(e.getMessage())).log("cannot start: listener failed");
            return 1;
        }
        ConfigFileWatcher watcher = file == null ? null
                : new ConfigFileWatcher(file, content, gateway::apply, gateway::rejected);
        stopRequested.await();
        if (watcher != null) {
            watcher.close();
        }
        gateway.shutdown();
        return 0;
    }

    /**
     * Cluster mode (see {@link ClusterMode}): services come from the cluster; SIGTERM stops gracefully. The handler is
     * in place before anything starts, so a SIGTERM during the wait for the first sync also ends in a graceful stop
     * (and ends that wait at once).
     */
    private static int runInCluster(String[] args) throws InterruptedException {
        CompletableFuture<Void> stopRequested = new CompletableFuture<>();
        Signals.onTerminate(() -> stopRequested.complete(null));
        ClusterGateway cluster;
        try {
            cluster = ClusterMode.start(args, stopRequested);
        } catch (IllegalArgumentException | ConfigException e) {
            return usage(e.getMessage());
        }
        stopRequested.join();
        cluster.shutdown();
        return 0;
    }

    private static int usage(String problem) {
        if (problem != null) {
            System.err.println("teal-gateway: " + problem);
        }
        System.err.println("""
                usage: java -jar teal-gateway.jar [--config FILE]      standalone (embedded default without --config)
                       java -jar teal-gateway.jar demo [--seconds N]   live demo: two backends, load, switches
                       """ + ClusterMode.USAGE + "   cluster mode");
        return problem == null ? 0 : 2;
    }
}
