package dev.teal.gateway.testing;

import dev.teal.contract.Annotations;
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

/**
 * Cluster objects for the gateway's and the controller's cluster tests, shaped as a real cluster holds them. The
 * methods without a client build an object; those with one create it in the (mock) API server and return what it
 * stored.
 */
public final class ClusterObjects {
    public static final String NS = "shop-ns";

    private ClusterObjects() {
    }

    /**
     * The user's front Service {@code name} in {@link #NS} (selector {@code app: name}, port http 80 to 8080) with
     * these annotations, as read from the API server (resourceVersion 7).
     */
    public static Service front(String name, Map<String, String> annotations) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).withResourceVersion("7")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build();
    }

    /** Creates {@link #front(String, Map)} (without a resourceVersion, as a client creates it). */
    public static Service front(KubernetesClient client, String name, Map<String, String> annotations) {
        Service s = new ServiceBuilder(front(name, annotations)).editMetadata().withResourceVersion(null).endMetadata()
                .build();
        return client.services().inNamespace(NS).resource(s).create();
    }

    /** One slice of {@code service} in {@link #NS}: ready and not-ready addresses on one port named http. */
    public static EndpointSlice slice(String service, String sliceName, int port, List<String> ready,
                                      List<String> notReady) {
        return slice(NS, service, sliceName, port, "http", ready, notReady);
    }

    /** One slice of {@code service}: ready and not-ready addresses on one port. */
    public static EndpointSlice slice(String namespace, String service, String sliceName, int port, String portName,
                                      List<String> ready, List<String> notReady) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName(sliceName).withNamespace(namespace)
                .withLabels(Map.of(Annotations.SERVICE_NAME_LABEL, service)).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName(portName).withPort(port).withProtocol("TCP").endPort();
        ready.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a)
                .withNewConditions().withReady(true).endConditions().build()));
        notReady.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a)
                .withNewConditions().withReady(false).endConditions().build()));
        return b.build();
    }

    /** Creates (or replaces) {@link #slice(String, String, String, int, String, List, List)}. */
    public static EndpointSlice slice(KubernetesClient client, String namespace, String service, String sliceName,
                                      int port, String portName, List<String> ready, List<String> notReady) {
        return client.discovery().v1().endpointSlices().inNamespace(namespace)
                .resource(slice(namespace, service, sliceName, port, portName, ready, notReady))
                .createOr(op -> op.update());
    }

    /** An Ingress of {@code ingressClass} in {@link #NS}: {@code host} (null: no host) to {@code service} port 80. */
    public static Ingress ingress(String name, String ingressClass, String host, String service) {
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withIngressClassName(ingressClass)
                .addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(80).endPort()
                .endService().endBackend().endPath().endHttp().endRule()
                .endSpec().build();
    }

    /** Creates an Ingress of class teal routing {@code host} to Service {@code service}. */
    public static Ingress ingress(KubernetesClient client, String name, String host, String service) {
        return client.network().v1().ingresses().inNamespace(NS).resource(ingress(name, "teal", host, service))
                .create();
    }

    /** Creates a Deployment in {@link #NS} whose pods carry {@code app: app} and {@code color: color}. */
    public static Deployment deployment(KubernetesClient client, String name, String app, String color, int replicas) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("app", app, "color", color));
        return client.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("example/app:1").endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }
}
