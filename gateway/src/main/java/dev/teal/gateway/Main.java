package dev.teal.gateway;

import dev.teal.contract.BuildInfo;
import dev.teal.contract.ConfigException;
import dev.teal.gateway.config.ConfigFile;
import dev.teal.gateway.config.ConfigFileWatcher;
import dev.teal.gateway.demo.Demo;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.discovery.ClusterMode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line (see {@link #HELP}): {@code [--config FILE]} runs standalone (the embedded default without it);
 * {@code --check [--config FILE]} validates and exits; {@code --kubernetes ...} runs cluster mode; {@code demo
 * [--seconds N]} runs the live demo; {@code --version}, {@code --help}. SIGTERM and SIGINT stop gracefully and exit
 * 0; SIGHUP reloads the file now.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    static final String HELP = """
            usage: java -jar teal-gateway.jar [--config FILE]            run standalone
                   java -jar teal-gateway.jar --check [--config FILE]    check a configuration, bind nothing, exit
                   java -jar teal-gateway.jar --kubernetes [OPTIONS]     cluster mode: follow Services and Ingresses
                   java -jar teal-gateway.jar demo [--seconds N]         live demo: two backends, load, switches
                   java -jar teal-gateway.jar --version | --help

            options:
              --config FILE              standalone: the configuration, watched and reloaded on change and on
                                         SIGHUP (default: the embedded teal-default.yaml, listen 127.0.0.1:8080,
                                         admin 127.0.0.1:9901); cluster mode: listener, timeout and limit settings,
                                         read at start (default: listen 0.0.0.0:8080, admin 0.0.0.0:9901)
              --check                    parse and validate the configuration exactly as a reload would; print
                                         "ok" (exit 0) or each error on its own line (exit 1)
              --kubernetes               cluster mode (in-cluster config or KUBECONFIG)
              --namespace NS             cluster mode: the namespace to follow (default: all namespaces)
              --snapshot-file PATH       cluster mode: the last-known-good service map
                                         (default: $java.io.tmpdir/teal/snapshot.json)
              --ingress-class NAME       cluster mode: the IngressClass to serve (default: teal)
              --publish-service NS/NAME  cluster mode: the Service whose address goes into Ingress status
                                         (default: none)
              --tls-from-ingresses       cluster mode: serve the Secrets named in spec.tls of the Ingresses on the
                                         HTTPS listener (tls.listen of --config, default 0.0.0.0:8443)
              --tls-secret-namespaces NS,NS  cluster mode: the namespaces whose Secrets are read
                                         (default: --namespace, or all)
              --seconds N                demo: how long it runs (default: 9)
              --version                  print the version, git revision and Java version
              -h, --help                 print this help

            signals:     SIGTERM, SIGINT stop gracefully (exit 0); SIGHUP reloads --config now
            environment: TEAL_LOG_LEVEL (default INFO), TEAL_LOG_FORMAT logfmt|json (default logfmt)
            exit codes:  0 done; 1 a listener could not bind, or --check found errors; 2 a bad command line or an
                         invalid configuration at start; 3 cluster discovery ran out of memory (--kubernetes)
            """;

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
        List<String> argv = Arrays.asList(args);
        if (argv.contains("-h") || argv.contains("--help")) {
            System.out.print(HELP);
            return 0;
        }
        if (argv.contains("--version")) {
            System.out.println(BuildInfo.current().line("teal-gateway"));
            return 0;
        }
        if (args.length > 0 && args[0].equals("demo")) {
            int seconds = 9;
            if (args.length == 3 && args[1].equals("--seconds")) {
                seconds = Integer.parseInt(args[2]);
            } else if (args.length != 1) {
                return usage("demo takes only --seconds N");
            }
            return Demo.run(seconds, System.out);
        }
        boolean check = argv.contains("--check");
        if (argv.contains("--kubernetes")) {
            return check ? checkCluster(args) : runInCluster(args);
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
                case "--check" -> {
                    // handled above
                }
                default -> {
                    return usage("unknown argument '" + args[i] + "'");
                }
            }
        }
        return check ? check(file, System.out, System.err) : runStandalone(file);
    }

    /** {@code --check}: reads and validates as a reload does; binds nothing. */
    static int check(Path file, PrintStream out, PrintStream err) {
        try {
            if (file == null) {
                ConfigFile.embedded();
            } else {
                ConfigFile.read(file);
            }
        } catch (ConfigException e) {
            e.getMessage().lines().forEach(err::println);
            return 1;
        }
        out.println("ok");
        return 0;
    }

    private static int checkCluster(String[] args) {
        String[] rest = Arrays.stream(args).filter(a -> !a.equals("--check")).toArray(String[]::new);
        try {
            ClusterMode.parse(rest);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (ConfigException e) {
            e.getMessage().lines().forEach(System.err::println);
            return 1;
        }
        System.out.println("ok");
        return 0;
    }

    private static int runStandalone(Path file) throws InterruptedException, IOException {
        // first thing: from here on a SIGHUP never ends the process (one during start-up reloads once it runs)
        CompletableFuture<Gateway> running = new CompletableFuture<>();
        onHangup(running);
        ConfigFile config;
        try {
            config = file == null ? ConfigFile.embedded() : ConfigFile.read(file);
        } catch (ConfigException e) {
            LOG.atError().addKeyValue("file", file == null ? ConfigFile.EMBEDDED : file.toAbsolutePath())
                    .addKeyValue("error", e.getMessage()).log("cannot start: invalid configuration");
            return 2;
        }
        // the handler is in place before anything starts, so a SIGTERM at any moment ends in a graceful stop (exit 0)
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signals.onTerminate(stopRequested::countDown);
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (ConfigException e) { // a certificate of tls: that cannot be loaded
            LOG.atError().addKeyValue("file", file == null ? ConfigFile.EMBEDDED : file.toAbsolutePath())
                    .addKeyValue("error", e.getMessage()).log("cannot start: invalid configuration");
            return 2;
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("error", String.valueOf(e.getMessage())).log("cannot start: listener failed");
            return 1;
        }
        ConfigFileWatcher watcher = null;
        if (config.path() != null) {
            watcher = new ConfigFileWatcher(config.path(), config.content(), gateway::apply, gateway::rejected);
            gateway.reloadWith(watcher::reload);
        }
        running.complete(gateway);
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
        CompletableFuture<Gateway> running = new CompletableFuture<>();
        onHangup(running);
        ClusterGateway cluster;
        try {
            cluster = ClusterMode.start(args, stopRequested);
        } catch (IllegalArgumentException | ConfigException e) {
            return usage(e.getMessage());
        }
        running.complete(cluster.gateway());
        stopRequested.join();
        cluster.shutdown();
        return 0;
    }

    /** SIGHUP reloads through the running gateway (logged either way); one during start-up waits for it. */
    private static void onHangup(CompletableFuture<Gateway> running) {
        boolean handled = Signals.onHangup(() -> running.thenAccept(g -> g.reload("SIGHUP")));
        if (!handled) {
            LOG.atWarn().log("SIGHUP cannot be handled in this JVM (ignored by the parent, or -Xrs); reload with"
                    + " POST /reload on the admin listener");
        }
    }

    private static int usage(String problem) {
        System.err.println("teal-gateway: " + problem);
        System.err.print(HELP);
        return 2;
    }
}
