package dev.teal.controller.cluster;

import dev.teal.contract.Annotations;
import dev.teal.contract.ClusterNames;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The controller's reads and writes against the API server. Reads go to the server (not a cache) so that a
 * reconcile always starts from what the cluster holds now.
 */
public final class ClusterClient {
    /** Labels on every per-color Service the controller keeps. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "teal-controller";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

    private final KubernetesClient client;
    private final Clock clock;
    private final String identity;
    private final java.util.concurrent.atomic.AtomicLong eventSequence = new java.util.concurrent.atomic.AtomicLong();

    public ClusterClient(KubernetesClient client, Clock clock, String identity) {
        this.client = client;
        this.clock = clock;
        this.identity = identity;
    }

    public Service service(String namespace, String name) {
        return client.services().inNamespace(namespace).withName(name).get();
    }

    /** Ready endpoints (EndpointSlice {@code conditions.ready}; unset counts as ready, as Kubernetes defines it). */
    public int readyEndpoints(String namespace, String serviceName) {
        // an endpoint is an address with the slice's ports (pods have their own addresses; tests share 127.0.0.1)
        Set<String> ready = new HashSet<>();
        for (EndpointSlice slice : slicesOf(namespace, serviceName)) {
            String ports = slice.getPorts() == null ? "" : slice.getPorts().stream()
                    .map(p -> String.valueOf(p.getPort())).sorted().toList().toString();
            ReadyEndpoints.of(slice).forEach(a -> ready.add(a + ports));
        }
        return ready.size();
    }

    public List<EndpointSlice> slicesOf(String namespace, String serviceName) {
        List<EndpointSlice> all = client.discovery().v1().endpointSlices().inNamespace(namespace)
                .withLabel(Annotations.SERVICE_NAME_LABEL, serviceName).list().getItems();
        // the label selector is an equality match; filter again so a lenient server cannot widen it
        return all.stream().filter(s -> serviceName.equals(label(s.getMetadata().getLabels(),
                Annotations.SERVICE_NAME_LABEL))).toList();
    }

    /**
     * Creates or corrects the per-color Service {@code <front>-<color>}: selector {@code selector}, the front
     * Service's ports, owned by the front Service.
     *
     * @return true when something was written
     */
    public boolean ensureColorService(Service front, String color, Map<String, String> selector) {
        String ns = front.getMetadata().getNamespace();
        String name = ClusterNames.colorService(front.getMetadata().getName(), color);
        List<ServicePort> ports = front.getSpec().getPorts().stream().map(p -> new ServicePortBuilder()
                .withName(p.getName()).withProtocol(p.getProtocol()).withPort(p.getPort())
                .withTargetPort(p.getTargetPort()).build()).toList();
        Map<String, String> labels = Map.of(MANAGED_BY, MANAGER, Annotations.SERVICE_FRONT_LABEL,
                front.getMetadata().getName(), Annotations.SERVICE_COLOR_LABEL, color);
        OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                .withName(front.getMetadata().getName()).withUid(front.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
        Service existing = service(ns, name);
        if (existing == null) {
            client.services().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
                    .withOwnerReferences(owner).endMetadata()
                    .withNewSpec().withSelector(selector).withPorts(ports).endSpec().build()).create();
            return true;
        }
        boolean selectorOk = selector.equals(existing.getSpec().getSelector());
        boolean portsOk = samePorts(ports, existing.getSpec().getPorts());
        boolean ownerOk = existing.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> Objects.equals(o.getUid(), owner.getUid()));
        boolean labelsOk = existing.getMetadata().getLabels() != null
                && existing.getMetadata().getLabels().entrySet().containsAll(labels.entrySet());
        if (selectorOk && portsOk && ownerOk && labelsOk) {
            return false;
        }
        Map<String, Object> sel = new LinkedHashMap<>();
        if (existing.getSpec().getSelector() != null) {
            existing.getSpec().getSelector().keySet().forEach(k -> sel.put(k, null));
        }
        sel.putAll(selector);
        Map<String, Object> patch = Map.of(
                "metadata", Map.of("labels", labels, "ownerReferences", List.of(owner)),
                "spec", Map.of("selector", sel, "ports", ports));
        mergePatchService(ns, name, patch);
        return true;
    }

    private static boolean samePorts(List<ServicePort> want, List<ServicePort> have) {
        if (have == null || want.size() != have.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            ServicePort a = want.get(i);
            ServicePort b = have.get(i);
            if (!Objects.equals(a.getName(), b.getName()) || !Objects.equals(a.getPort(), b.getPort())
                    || !Objects.equals(a.getTargetPort(), b.getTargetPort())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes annotations on the front Service, guarded by the {@code resourceVersion} they were computed from.
     *
     * @throws ConflictException when the Service changed meanwhile
     */
    public Service patchAnnotations(Service front, Map<String, String> annotations) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("resourceVersion", front.getMetadata().getResourceVersion());
        meta.put("annotations", annotations);
        return mergePatchService(front.getMetadata().getNamespace(), front.getMetadata().getName(),
                Map.of("metadata", meta));
    }

    /**
     * Points the front Service's selector at {@code color} and sets the {@code teal.dev/active-color} label.
     *
     * @return the Service as it is now
     */
    public Service selectColor(Service front, String colorLabel, String color, String activeColorLabel) {
        Map<String, String> selector = front.getSpec().getSelector();
        Map<String, String> labels = front.getMetadata().getLabels();
        if (selector != null && color.equals(selector.get(colorLabel)) && labels != null
                && color.equals(labels.get(activeColorLabel))) {
            return front;
        }
        return mergePatchService(front.getMetadata().getNamespace(), front.getMetadata().getName(), Map.of(
                "metadata", Map.of("labels", Map.of(activeColorLabel, color)),
                "spec", Map.of("selector", Map.of(colorLabel, color))));
    }

    /** Ingresses in the Service's namespace with a rule or default backend that routes to it. */
    public List<Ingress> ingressesRoutingTo(String namespace, String serviceName) {
        return client.network().v1().ingresses().inNamespace(namespace).list().getItems().stream()
                .filter(i -> backends(i).anyMatch(b -> b.getService() != null
                        && serviceName.equals(b.getService().getName())))
                .toList();
    }

    private static Stream<IngressBackend> backends(Ingress ingress) {
        if (ingress.getSpec() == null) {
            return Stream.empty();
        }
        List<IngressBackend> all = new ArrayList<>();
        if (ingress.getSpec().getDefaultBackend() != null) {
            all.add(ingress.getSpec().getDefaultBackend());
        }
        for (IngressRule rule : ingress.getSpec().getRules()) {
            if (rule.getHttp() != null) {
                rule.getHttp().getPaths().forEach(p -> all.add(p.getBackend()));
            }
        }
        return all.stream().filter(Objects::nonNull);
    }

    /** Sets one label on an Ingress unless it already has that value. */
    public void labelIngress(Ingress ingress, String key, String value) {
        if (value.equals(label(ingress.getMetadata().getLabels(), key))) {
            return;
        }
        String json = JSON.writeValueAsString(Map.of("metadata", Map.of("labels", Map.of(key, value))));
        client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace())
                .withName(ingress.getMetadata().getName()).patch(MERGE, json);
    }

    /** Deployments whose pod template carries every one of {@code labels}. */
    public List<Deployment> deploymentsWithPodLabels(String namespace, Map<String, String> labels) {
        return client.apps().deployments().inNamespace(namespace).list().getItems().stream()
                .filter(d -> d.getSpec() != null && d.getSpec().getTemplate() != null
                        && d.getSpec().getTemplate().getMetadata() != null
                        && d.getSpec().getTemplate().getMetadata().getLabels() != null
                        && d.getSpec().getTemplate().getMetadata().getLabels().entrySet()
                        .containsAll(labels.entrySet()))
                .toList();
    }

    /**
     * Sets the replicas to 0 unless they are 0 already, through the scale subresource
     * ({@code PATCH deployments/NAME/scale}, what the chart grants: {@code patch} on {@code deployments/scale}), so
     * the controller never needs to write the Deployment itself.
     */
    public boolean scaleToZero(Deployment deployment) {
        if (Objects.equals(deployment.getSpec().getReplicas(), 0)) {
            return false;
        }
        String json = JSON.writeValueAsString(Map.of("spec", Map.of("replicas", 0)));
        client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace())
                .withName(deployment.getMetadata().getName()).subresource("scale").patch(MERGE, json);
        return true;
    }

    /** Records a core/v1 Event on the front Service ({@code type} is {@code Normal} or {@code Warning}). */
    public void event(Service front, String type, String reason, String message) {
        String ns = front.getMetadata().getNamespace();
        Instant now = clock.instant();
        String ts = now.toString();
        // Kubernetes names events <object>.<unique hex>
        String name = front.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli())
                + Long.toHexString(eventSequence.incrementAndGet() & 0xfff)
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        io.fabric8.kubernetes.api.model.Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withNewInvolvedObject().withApiVersion("v1").withKind("Service").withNamespace(ns)
                .withName(front.getMetadata().getName()).withUid(front.getMetadata().getUid()).endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
                .withNewSource().withComponent(MANAGER).withHost(identity).endSource()
                .withReportingComponent("teal.dev/controller").withReportingInstance(identity)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(event).create();
        } catch (KubernetesClientException e) {
            // Events are best effort, as in Kubernetes itself; the status annotation carries the same message
            LOG.atWarn().setMessage("could not record event").addKeyValue("namespace", ns)
                    .addKeyValue("service", front.getMetadata().getName()).addKeyValue("reason", reason)
                    .addKeyValue("code", e.getCode()).log();
        }
    }

    private Service mergePatchService(String namespace, String name, Map<String, ?> patch) {
        try {
            return client.services().inNamespace(namespace).withName(name).patch(MERGE,
                    JSON.writeValueAsString(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new ConflictException("Service " + namespace + "/" + name + " changed meanwhile");
            }
            throw e;
        }
    }

    private static String label(Map<String, String> labels, String key) {
        return labels == null ? null : labels.get(key);
    }
}
