package dev.teal.gateway.discovery;

import dev.teal.contract.ConfigException;
import dev.teal.contract.Defaults;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The command line of cluster mode: {@code --kubernetes [--namespace NS] [--config global.yaml]
 * [--snapshot-file PATH] [--ingress-class teal] [--publish-service NS/NAME] [--tls-from-ingresses
 * [--tls-secret-namespaces NS,NS]]}. In-cluster config or {@code KUBECONFIG}.
 * The optional file gives listeners, timeouts and limits in the file-mode schema; its {@code services} (if any) are
 * ignored. Without a file both listeners bind all interfaces ({@code 0.0.0.0:8080}, admin {@code 0.0.0.0:9901}), so the
 * controller can reach the admin API on the pod's address.
 */
public final class ClusterMode {
    static final String DEFAULTS = "listen: 0.0.0.0:8080\nadmin: 0.0.0.0:9901\nservices: {}\n";
    public static final String USAGE = "       java -jar teal-gateway.jar --kubernetes [--namespace NS] [--config FILE]"
            + " [--snapshot-file PATH] [--ingress-class teal] [--publish-service NS/NAME]"
            + " [--tls-from-ingresses [--tls-secret-namespaces NS,NS]]";

    private ClusterMode() {
    }

    /**
     * Starts cluster mode from command-line arguments (which include {@code --kubernetes}).
     *
     * @param stopRequested completes on SIGTERM: ends the wait for the first sync early
     */
    public static ClusterGateway start(String[] args, CompletableFuture<?> stopRequested) throws InterruptedException {
        ClusterGateway.Settings settings = parse(args);
        KubernetesClient client = new KubernetesClientBuilder().build();
        try {
            return ClusterGateway.start(client, settings, stopRequested);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** @throws IllegalArgumentException or {@link ConfigException} naming what is wrong */
    public static ClusterGateway.Settings parse(String[] args) {
        String namespace = null;
        Path config = null;
        Path snapshot = Path.of(System.getProperty("java.io.tmpdir"), "teal", "snapshot.json");
        String ingressClass = Defaults.INGRESS_CLASS;
        String publish = null;
        boolean tlsFromIngresses = false;
        java.util.List<String> secretNamespaces = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--kubernetes")) {
                continue;
            }
            if (flag.equals("--tls-from-ingresses")) {
                tlsFromIngresses = true;
                continue;
            }
            if (!java.util.Set.of("--namespace", "--config", "--snapshot-file", "--ingress-class",
                    "--publish-service", "--tls-secret-namespaces").contains(flag)) {
                throw new IllegalArgumentException("unknown argument '" + flag + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--namespace" -> namespace = value;
                case "--config" -> config = Path.of(value);
                case "--snapshot-file" -> snapshot = Path.of(value);
                case "--ingress-class" -> ingressClass = value;
                case "--publish-service" -> publish = value;
                case "--tls-secret-namespaces" -> secretNamespaces = java.util.Arrays.stream(value.split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).toList();
                default -> throw new IllegalArgumentException("unknown argument '" + flag + "'");
            }
        }
        if (secretNamespaces != null && !tlsFromIngresses) {
            throw new IllegalArgumentException("--tls-secret-namespaces needs --tls-from-ingresses");
        }
        return new ClusterGateway.Settings(globalConfig(config), namespace, ingressClass, publish, snapshot,
                Duration.ofSeconds(10), tlsFromIngresses, secretNamespaces);
    }

    /** The global settings: the file's, with its services dropped (the cluster supplies them). */
    static GatewayConfig globalConfig(Path file) {
        if (file == null) {
            return ConfigParser.parse(DEFAULTS);
        }
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        YAMLMapper mapper = YAMLMapper.builder().build();
        JsonNode tree = mapper.readTree(yaml);
        if (tree == null || !tree.isObject()) {
            throw new ConfigException(file + ": expected a mapping of settings");
        }
        ((ObjectNode) tree).putObject("services");
        return ConfigParser.parse(mapper.writeValueAsString(tree));
    }
}
