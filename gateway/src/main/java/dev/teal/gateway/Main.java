package dev.teal.gateway;

import dev.teal.gateway.config.ConfigException;
import dev.teal.gateway.config.ConfigFileWatcher;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.demo.Demo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("demo")) {
            int seconds = 9;
            if (args.length == 3 && args[1].equals("--seconds")) {
                seconds = Integer.parseInt(args[2]);
            }
            return Demo.run(seconds, System.out);
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
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (RuntimeException e) {
            LOG.atError().addKeyValue("error", String.valueOf(e.getMessage())).log("cannot start: listener failed");
            return 1;
        }
        ConfigFileWatcher watcher = file == null ? null
                : new ConfigFileWatcher(file, content, gateway::apply, gateway::rejected);
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            if (watcher != null) {
                watcher.close();
            }
            gateway.shutdown();
            stopped.countDown();
        };
        Signals.onTerminate(stop);
        stopped.await();
        return 0;
    }

    private static int usage(String problem) {
        if (problem != null) {
            System.err.println("teal-gateway: " + problem);
        }
        System.err.println("""
                usage: java -jar teal-gateway.jar [--config FILE]      standalone (embedded default without --config)
                       java -jar teal-gateway.jar demo [--seconds N]   live demo: two backends, load, switches""");
        return problem == null ? 0 : 2;
    }
}
