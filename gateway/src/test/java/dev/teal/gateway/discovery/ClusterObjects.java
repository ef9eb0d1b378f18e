package dev.teal.gateway.discovery;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.List;
import java.util.Map;

/** Cluster objects for discovery tests, shaped as a real cluster holds them. */
final class ClusterObjects {
    static final String NS = "shop-ns";

    private ClusterObjects() {
    }

    static Service front(String name, Map<String, String> annotations) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).withResourceVersion("7")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withSelector(Map.of("app", name))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build();
    }

    /** One slice of {@code service}: ready and not-ready addresses on one port named http. */
    static EndpointSlice slice(String service, String sliceName, int port, List<String> ready, List<String> notReady) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata().withName(sliceName).withNamespace(NS)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort();
        ready.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a)
                .withNewConditions().withReady(true).endConditions().build()));
        notReady.forEach(a -> b.addToEndpoints(new EndpointBuilder().withAddresses(a)
                .withNewConditions().withReady(false).endConditions().build()));
        return b.build();
    }

    /** An Ingress of {@code ingressClass}: {@code host} (null: no host) to {@code service} port 80. */
    static Ingress ingress(String name, String ingressClass, String host, String service) {
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withIngressClassName(ingressClass)
                .addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(80).endPort()
                .endService().endBackend().endPath().endHttp().endRule()
                .endSpec().build();
    }
}
