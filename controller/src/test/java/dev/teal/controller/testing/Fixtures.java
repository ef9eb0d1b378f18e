package dev.teal.controller.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cluster objects the tests create in the mock API server, shaped as a real cluster would hold them. */
public final class Fixtures {
    public static final String NS = "shop-ns";

    private Fixtures() {
    }

    /** The user's front Service {@code name} (selector {@code app: name}) with these annotations. */
    public static Service front(KubernetesClient client, String name, Map<String, String> annotations) {
        return client.services().inNamespace(NS).resource(new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).withAnnotations(annotations).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build()).create();
    }

    /** An EndpointSlice of Service {@code service} with {@code ready} ready and {@code notReady} unready endpoints. */
    public static EndpointSlice slice(KubernetesClient client, String namespace, String service, String sliceName,
                                      int port, String portName, List<String> ready, List<String> notReady) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName(sliceName).withNamespace(namespace)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort();
        ready.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a)
                .withNewConditions().withReady(true).endConditions().build()));
        notReady.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a)
                .withNewConditions().withReady(false).endConditions().build()));
        return client.discovery().v1().endpointSlices().inNamespace(namespace).resource(b.build()).createOr(
                op -> op.update());
    }

    /** The gateway admin Service's slice: one ready endpoint per stand-in, all on 127.0.0.1 (one slice per port). */
    public static void gatewayReplicas(KubernetesClient client, String namespace, String adminService,
                                       StandInGateway... replicas) {
        for (StandInGateway g : replicas) {
            slice(client, namespace, adminService, adminService + "-" + g.port(), g.port(), "admin",
                    List.of("127.0.0.1"), List.of());
        }
    }

    /** A Deployment whose pods carry {@code app: app} and {@code color: color}. */
    public static Deployment deployment(KubernetesClient client, String name, String app, String color, int replicas) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("app", app, "color", color));
        return client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example/app:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    /** An Ingress of class teal routing {@code host} to Service {@code service}. */
    public static Ingress ingress(KubernetesClient client, String name, String host, String service) {
        return client.network().v1().ingresses().inNamespace(NS).resource(new IngressBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withIngressClassName("teal")
                .addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(80).endPort()
                .endService().endBackend().endPath().endHttp().endRule()
                .endSpec().build()).create();
    }
}
