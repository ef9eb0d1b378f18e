package dev.teal.charts;

import static org.awaitility.Awaitility.await;

import dev.teal.contract.HostPort;
import dev.teal.controller.ControllerSettings;
import dev.teal.controller.TealController;
import dev.teal.controller.election.LeaderElection;
import dev.teal.controller.reconcile.CutoverStatus;
import dev.teal.controller.reconcile.Phase;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ApiCall;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.discovery.ClusterMode;
import dev.teal.gateway.discovery.RestartableApiServer;
import dev.teal.gateway.tls.TestCertificates;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Base64;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One full cutover in cluster mode, with the gateway and the controller started from the command lines the chart
 * renders (parsed by their real parsers) and each talking to the mock API server with its own bearer token, the
 * ServiceAccount the chart runs it as: a front Service in namespace {@value #APP_NS} with an Ingress of class teal,
 * the gateway publishing its Service's address into that Ingress, a controller electing itself and making blue
 * active, then dying with the Lease held, a standby taking the expired Lease over and switching blue to green
 * (confirmed by the gateway's /status), labelling the Ingress, recording Events, scaling blue's Deployment to 0
 * through the scale subresource and giving the Lease up as it stops. With TLS from Ingresses, the Ingress names a TLS
 * Secret and the gateway serves it. What it leaves behind is the record of every call each identity made.
 */
final class CutoverScenario {
    static final String APP_NS = "shop";
    static final Duration WAIT = Duration.ofSeconds(30);

    /** The token a pod of ServiceAccount {@code name} in the release namespace sends. */
    static String token(String serviceAccount) {
        return "system:serviceaccount:" + TealChart.NAMESPACE + ":" + serviceAccount;
    }

    private CutoverScenario() {
    }

    /** Runs the cutover against the chart rendered as {@code m}; returns every call the API server received. */
    static List<ApiCall> run(TealChart.Manifests m) throws Exception {
        List<AutoCloseable> closeLater = new ArrayList<>();
        Path dir = Files.createTempDirectory("teal-rbac");
        RestartableApiServer api = new RestartableApiServer();
        try {
            KubernetesClient admin = api.client("cluster-admin");
            closeLater.add(admin);
            String gatewayAccount = serviceAccount(m, "teal-gateway");
            String controllerAccount = serviceAccount(m, "teal-controller");

            ClusterGateway.Settings gs = gatewaySettings(m, dir);
            ControllerSettings cs = controllerSettings(m);
            String[] publish = gs.publishService().split("/");
            admin.services().inNamespace(publish[0]).resource(new ServiceBuilder().withNewMetadata()
                    .withName(publish[1]).withNamespace(publish[0]).endMetadata()
                    .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.10").addNewPort().withPort(80)
                    .endPort().endSpec().withNewStatus().withNewLoadBalancer().addNewIngress().withIp("203.0.113.7")
                    .endIngress().endLoadBalancer().endStatus().build()).create();
            admin.services().inNamespace(APP_NS).resource(new ServiceBuilder().withNewMetadata().withName("shop")
                    .withNamespace(APP_NS).withAnnotations(Map.of("teal.dev/active", "blue",
                            "teal.dev/scale-down-delay", "1s")).endMetadata()
                    .withNewSpec().withSelector(Map.of("app", "shop"))
                    .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                    .endSpec().build()).create();
            Ingress shop = new IngressBuilder().withNewMetadata()
                    .withName("shop").withNamespace(APP_NS).endMetadata()
                    .withNewSpec().withIngressClassName(gs.ingressClass()).addNewRule().withHost("shop.example.com")
                    .withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
                    .withName("shop").withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                    .endHttp().endRule().endSpec().build();
            if (gs.tlsFromIngresses()) { // its TLS Secret, read by the gateway's Secret informer
                TestCertificates.Pair pair = new TestCertificates(dir).create("shop", "shop.example.com",
                        "shop.example.com");
                admin.secrets().inNamespace(APP_NS).resource(new SecretBuilder().withNewMetadata()
                        .withName("shop-tls").withNamespace(APP_NS).endMetadata().withType("kubernetes.io/tls")
                        .addToData("tls.crt", Base64.getEncoder().encodeToString(Files.readAllBytes(pair.cert())))
                        .addToData("tls.key", Base64.getEncoder().encodeToString(Files.readAllBytes(pair.key())))
                        .build()).create();
                shop = new IngressBuilder(shop).editSpec().addNewTl().withHosts("shop.example.com")
                        .withSecretName("shop-tls").endTl().endSpec().build();
            }
            admin.network().v1().ingresses().inNamespace(APP_NS).resource(shop).create();
            for (String color : List.of("blue", "green")) {
                deployment(admin, color);
                DemoBackend backend = DemoBackend.start(color, 0);
                closeLater.add(backend);
                slice(admin, APP_NS, "shop-" + color, backend.port(), "http");
            }

            KubernetesClient gatewayClient = api.client(token(gatewayAccount));
            closeLater.add(gatewayClient);
            ClusterGateway gateway = ClusterGateway.start(gatewayClient, gs);
            closeLater.add(gateway);
            if (gs.tlsFromIngresses()) {
                await().atMost(WAIT).until(() -> gateway.gateway().certificates().lookup("shop.example.com")
                        .source().equals("secret:" + APP_NS + "/shop-tls"));
            }
            slice(admin, cs.gatewayNamespace(), cs.gatewayAdminService(), gateway.gateway().adminPort(), "admin");

            KubernetesClient firstClient = api.client(token(controllerAccount));
            closeLater.add(firstClient);
            TealController first = TealController.start(firstClient, controllerSettings(cs, "teal-controller-0",
                    false)); // dies holding the Lease, like a killed pod
            closeLater.add(first);
            await().atMost(WAIT).until(first::isLeader);
            KubernetesClient controllerClient = api.client(token(controllerAccount));
            closeLater.add(controllerClient);
            TealController controller = TealController.start(controllerClient, controllerSettings(cs,
                    "teal-controller-1", true));
            closeLater.add(controller);

            await().atMost(WAIT).until(() -> activeOn(admin, "blue"));
            first.close();
            await().atMost(WAIT).until(controller::isLeader); // takes the expired Lease over
            admin.services().inNamespace(APP_NS).withName("shop").edit(s -> {
                s.getMetadata().getAnnotations().put("teal.dev/active", "green");
                return s;
            });
            await().atMost(WAIT).until(() -> activeOn(admin, "green"));
            await().atMost(WAIT).until(() -> replicas(admin, "shop-blue") == 0);
            await().atMost(WAIT).until(() -> published(admin));
            controller.close(); // gives the Lease up, as a stopping pod does
            return api.calls();
        } finally {
            for (int i = closeLater.size() - 1; i >= 0; i--) {
                try {
                    closeLater.get(i).close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
            api.close();
            TealChart.deleteRecursively(dir);
        }
    }

    static String serviceAccount(TealChart.Manifests m, String deployment) {
        return m.get(Deployment.class, deployment).getSpec().getTemplate().getSpec().getServiceAccountName();
    }

    /** The rendered gateway command line, parsed; only the listeners move to 127.0.0.1:0 and the snapshot to dir. */
    private static ClusterGateway.Settings gatewaySettings(TealChart.Manifests m, Path dir) {
        List<String> args = programArgs(m, "teal-gateway");
        int config = args.indexOf("--config");
        Path file = dir.resolve("gateway.yaml");
        try {
            Files.writeString(file, m.get(ConfigMap.class, "teal-gateway").getData().get("gateway.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        args.set(config + 1, file.toString());
        ClusterGateway.Settings s = ClusterMode.parse(args.toArray(String[]::new));
        String tls = s.base().tls() == null ? "" : "tls: {listen: 127.0.0.1:0}\n";
        return new ClusterGateway.Settings(
                ConfigParser.parse("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\n" + tls + "services: {}\n"),
                s.namespace(), s.ingressClass(), s.publishService(), dir.resolve("snapshot.json"),
                Duration.ofSeconds(10), s.tlsFromIngresses(), s.tlsSecretNamespaces());
    }

    /** The rendered controller command line, parsed. */
    private static ControllerSettings controllerSettings(TealChart.Manifests m) {
        return dev.teal.controller.Main.parse(programArgs(m, "teal-controller").toArray(String[]::new),
                TealChart.NAMESPACE);
    }

    /** The rendered settings; only the listener, identity and Lease timings are the test's. */
    private static ControllerSettings controllerSettings(ControllerSettings s, String identity, boolean release) {
        return ControllerSettings.builder().namespace(s.namespace()).gatewayNamespace(s.gatewayNamespace())
                .gatewayAdminService(s.gatewayAdminService()).gatewayAdminPort(s.gatewayAdminPort())
                .leaseNamespace(s.leaseNamespace()).leaseName(s.leaseName()).identity(identity)
                .metricsListen(new HostPort("127.0.0.1", 0)).probeTimeout(Duration.ofSeconds(1))
                .election(new LeaderElection.Timing(Duration.ofMillis(2000), Duration.ofMillis(1500),
                        Duration.ofMillis(250), release))
                .build();
    }

    private static List<String> programArgs(TealChart.Manifests m, String deployment) {
        List<String> args = WorkloadTest.container(m, deployment).getArgs();
        int jar = args.indexOf("-jar");
        return new ArrayList<>(args.subList(jar + 2, args.size()));
    }

    private static void deployment(KubernetesClient admin, String color) {
        Map<String, String> labels = Map.of("app", "shop", "color", color);
        admin.apps().deployments().inNamespace(APP_NS).resource(new DeploymentBuilder().withNewMetadata()
                .withName("shop-" + color).withNamespace(APP_NS).endMetadata()
                .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec().addNewContainer()
                .withName("app").withImage("example/app:1").endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
    }

    private static void slice(KubernetesClient admin, String namespace, String service, int port, String portName) {
        admin.discovery().v1().endpointSlices().inNamespace(namespace).resource(new EndpointSliceBuilder()
                .withNewMetadata().withName(service + "-" + port).withNamespace(namespace)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4").addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort()
                .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions()
                .endEndpoint().build()).create();
    }

    private static boolean activeOn(KubernetesClient admin, String color) {
        var s = admin.services().inNamespace(APP_NS).withName("shop").get();
        CutoverStatus status = CutoverStatus.parse(s.getMetadata().getAnnotations().get("teal.dev/status"));
        return status != null && status.phase() == Phase.Active && color.equals(status.serving());
    }

    private static int replicas(KubernetesClient admin, String deployment) {
        return admin.apps().deployments().inNamespace(APP_NS).withName(deployment).get().getSpec().getReplicas();
    }

    private static boolean published(KubernetesClient admin) {
        Ingress i = admin.network().v1().ingresses().inNamespace(APP_NS).withName("shop").get();
        return i.getStatus() != null && i.getStatus().getLoadBalancer() != null
                && !i.getStatus().getLoadBalancer().getIngress().isEmpty();
    }
}
