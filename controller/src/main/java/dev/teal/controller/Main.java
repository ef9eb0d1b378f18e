package dev.teal.controller;

import dev.teal.contract.BuildInfo;
import dev.teal.contract.HostPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar teal-controller.jar [--namespace NS] [--gateway-namespace NS] [--gateway-admin-service NAME]
 * [--gateway-admin-port 9901] [--lease-name teal-controller] [--lease-namespace NS] [--metrics-listen 0.0.0.0:9902]}.
 * In-cluster config or {@code KUBECONFIG}; Lease identity from env {@code POD_NAME}, else the host name.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        java.util.List<String> argv = java.util.Arrays.asList(args);
        if (argv.contains("-h") || argv.contains("--help")) {
            System.out.print(HELP);
            System.exit(0);
            return;
        }
        if (argv.contains("--version")) {
            System.out.println(BuildInfo.current().line("teal-controller"));
            System.exit(0);
            return;
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        ControllerSettings settings;
        try {
            settings = parse(args, client.getNamespace());
        } catch (IllegalArgumentException e) {
            System.err.println("teal-controller: " + e.getMessage());
            System.err.print(HELP);
            client.close();
            System.exit(2);
            return;
        }
        TealController controller = TealController.start(client, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.atInfo().setMessage("shutting down").log();
            controller.close();
            client.close();
            stopped.countDown();
        }, "teal-shutdown"));
        stopped.await();
    }

    static final String USAGE = "usage: teal-controller [--namespace NS] [--gateway-namespace NS]"
            + " [--gateway-admin-service NAME] [--gateway-admin-port PORT] [--lease-name NAME]"
            + " [--lease-namespace NS] [--metrics-listen HOST:PORT]";

    static final String HELP = USAGE + "\n" + """
                   java -jar teal-controller.jar --version | --help

            Drives blue/green cutovers of Services annotated teal.dev/active (in-cluster config or KUBECONFIG).

            options:
              --namespace NS              the namespace whose Services are watched (default: all namespaces)
              --gateway-namespace NS      where the gateway pods run (default: the controller's own namespace,
                                          else default)
              --gateway-admin-service N   the headless Service listing the gateway pods (default: teal-gateway-admin)
              --gateway-admin-port PORT   the gateways' admin port (default: 9901)
              --lease-name NAME           the leader-election Lease (default: teal-controller)
              --lease-namespace NS        the Lease's namespace (default: the gateway namespace)
              --metrics-listen HOST:PORT  /metrics, /healthz, /readyz (default: 0.0.0.0:9902)
              --version                   print the version, git revision and Java version
              -h, --help                  print this help

            environment: POD_NAME (the Lease identity; default: the host name), TEAL_LOG_LEVEL (default INFO),
                         TEAL_LOG_FORMAT logfmt|json (default logfmt)
            exit codes:  0 stopped; 2 a bad command line
            """;

    /** Parses the command line; {@code ownNamespace} (the client's, e.g. the pod's) is the default namespace. */
    public static ControllerSettings parse(String[] args, String ownNamespace) {
        ControllerSettings.Builder b = ControllerSettings.builder();
        String home = ownNamespace != null ? ownNamespace : "default";
        b.gatewayNamespace(home).identity(identity());
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--namespace" -> b.namespace(value);
                case "--gateway-namespace" -> b.gatewayNamespace(value);
                case "--gateway-admin-service" -> b.gatewayAdminService(value);
                case "--gateway-admin-port" -> b.gatewayAdminPort(port(value));
                case "--lease-name" -> b.leaseName(value);
                case "--lease-namespace" -> b.leaseNamespace(value);
                case "--metrics-listen" -> b.metricsListen(HostPort.parse(value));
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }
        return b.build();
    }

    private static int port(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--gateway-admin-port: '" + value + "' is not a port number");
        }
    }

    private static String identity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isBlank()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "teal-controller-" + ProcessHandle.current().pid();
        }
    }
}
