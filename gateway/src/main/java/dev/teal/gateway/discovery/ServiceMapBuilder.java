package dev.teal.gateway.discovery;

import dev.teal.gateway.config.ConfigException;
import dev.teal.gateway.config.HostPort;
import dev.teal.gateway.config.Names;
import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.config.Units;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns the cluster objects the informers hold into the gateway's services. A pure function: same objects in, same
 * map out.
 *
 * <ul>
 *   <li>A front Service is served when it carries {@code teal.dev/serving} and an Ingress of the gateway's class
 *       routes to it; its key is {@code <service>.<namespace>}.</li>
 *   <li>Hosts come from the Ingress rules that route to it; a rule without a host makes it the default service.
 *       A host claimed by two Services goes to the first Ingress by namespace/name (a warning names the other).
 *       The gateway routes by host only, so path rules of one host to different Services cannot all be honored.</li>
 *   <li>Colors: {@code teal.dev/serving}, {@code teal.dev/active} and every color whose Service
 *       {@code <service>-<color>} has an EndpointSlice. Endpoints are the ready addresses of those slices with the
 *       slice port of the same name as the front port the Ingress uses (or the slice's only port).</li>
 *   <li>{@code drainTimeout} from {@code teal.dev/drain-timeout} (30s when absent or unreadable).</li>
 * </ul>
 */
public final class ServiceMapBuilder {

    /** What the gateway learned about one service, for {@code /status} ({@code "kubernetes": {...}}). */
    public record Origin(String namespace, String service, String servingAnnotation, String resourceVersion) {
        public Map<String, Object> toStatus() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("namespace", namespace);
            m.put("service", service);
            m.put("servingAnnotation", servingAnnotation);
            m.put("resourceVersion", resourceVersion);
            return m;
        }
    }

    /** The services to route, and where each came from. */
    public record Result(Map<String, ServiceConfig> services, Map<String, Origin> origins) {
    }

    private final String ingressClass;
    private final Consumer<String> warn;
    private final ServiceAnnotations.LastGood settings = new ServiceAnnotations.LastGood();

    /** @param warn receives one line for each object that is skipped and why */
    public ServiceMapBuilder(String ingressClass, Consumer<String> warn) {
        this.ingressClass = ingressClass;
        this.warn = warn;
    }

    public Result build(Collection<Ingress> ingresses, Collection<Service> services, Collection<EndpointSlice> slices) {
        Map<String, Service> fronts = new HashMap<>();
        for (Service s : services) {
            Map<String, String> a = s.getMetadata().getAnnotations();
            if (a != null && a.containsKey(ClusterNames.SERVING)) {
                fronts.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
            }
        }
        Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        for (EndpointSlice slice : slices) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String owner = labels == null ? null : labels.get(ClusterNames.SERVICE_NAME_LABEL);
            if (owner != null) {
                slicesByService.computeIfAbsent(slice.getMetadata().getNamespace() + "/" + owner,
                        k -> new ArrayList<>()).add(slice);
            }
        }
        // front "ns/name" -> hosts, and the front port the Ingress uses
        Map<String, Set<String>> hosts = new TreeMap<>();
        Map<String, IngressServiceBackend> portOf = new HashMap<>();
        Map<String, String> hostOwner = new HashMap<>();
        List<Ingress> ordered = ingresses.stream().filter(this::ours)
                .sorted(Comparator.comparing((Ingress i) -> i.getMetadata().getNamespace())
                        .thenComparing(i -> i.getMetadata().getName())).toList();
        for (Ingress ingress : ordered) {
            String ns = ingress.getMetadata().getNamespace();
            for (Route r : routes(ingress)) {
                String front = ns + "/" + r.backend().getName();
                if (!fronts.containsKey(front)) {
                    continue;
                }
                String host = r.host() == null ? "" : r.host().toLowerCase(java.util.Locale.ROOT);
                String owner = hostOwner.putIfAbsent(host, front);
                if (owner != null && !owner.equals(front)) {
                    warn.accept("Ingress " + ns + "/" + ingress.getMetadata().getName() + ": host '"
                            + (host.isEmpty() ? "(default)" : host) + "' already routes to " + owner + "; ignored");
                    continue;
                }
                hosts.computeIfAbsent(front, k -> new LinkedHashSet<>()).add(host);
                portOf.putIfAbsent(front, r.backend());
            }
        }
        Map<String, ServiceConfig> out = new LinkedHashMap<>();
        Map<String, Origin> origins = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : hosts.entrySet()) {
            Service front = fronts.get(e.getKey());
            String ns = front.getMetadata().getNamespace();
            String name = front.getMetadata().getName();
            String key = ClusterNames.serviceKey(ns, name);
            Map<String, String> a = front.getMetadata().getAnnotations();
            try {
                String serving = Names.color(a.get(ClusterNames.SERVING));
                Set<String> colors = new LinkedHashSet<>();
                colors.add(serving);
                String active = a.get(ClusterNames.ACTIVE);
                if (active != null && isColor(active)) {
                    colors.add(active);
                }
                String prefix = ns + "/" + name + "-";
                slicesByService.keySet().stream().filter(k -> k.startsWith(prefix))
                        .filter(k -> (ns + "/" + name).equals(owningFront(k, fronts.keySet())))
                        .map(k -> k.substring(prefix.length())).filter(ServiceMapBuilder::isColor)
                        .sorted().forEach(colors::add);
                String portName = frontPortName(front, portOf.get(e.getKey()));
                Map<String, List<HostPort>> endpoints = new LinkedHashMap<>();
                for (String color : colors) {
                    endpoints.put(color, endpoints(slicesByService.getOrDefault(
                            ns + "/" + ClusterNames.colorService(name, color), List.of()), portName));
                }
                List<String> hostList = e.getValue().stream().filter(h -> !h.isEmpty()).toList();
                if (e.getValue().contains("") && !hostList.isEmpty()) {
                    warn.accept("Service " + ns + "/" + name + " has rules with and without host; serving hosts "
                            + hostList + " only");
                }
                out.put(key, settings.of(key, a, warn).config(key, hostList, serving, drainTimeout(a), endpoints));
                origins.put(key, new Origin(ns, name, serving, front.getMetadata().getResourceVersion()));
            } catch (ConfigException ex) {
                warn.accept("Service " + ns + "/" + name + " skipped: " + ex.getMessage());
            }
        }
        return new Result(out, origins);
    }

    /**
     * The front Service a color Service {@code ns/<front>-<color>} belongs to: the longest front name that prefixes
     * it ({@code shop-api-blue} is {@code shop-api}'s blue, not {@code shop}'s "api-blue"); null if it is a front.
     */
    private static String owningFront(String colorService, Set<String> fronts) {
        if (fronts.contains(colorService)) {
            return null;
        }
        String best = null;
        for (String f : fronts) {
            if (colorService.startsWith(f + "-") && (best == null || f.length() > best.length())) {
                best = f;
            }
        }
        return best;
    }

    private boolean ours(Ingress i) {
        return i.getSpec() != null && ingressClass.equals(i.getSpec().getIngressClassName());
    }

    private record Route(String host, IngressServiceBackend backend) {
    }

    private static List<Route> routes(Ingress ingress) {
        List<Route> out = new ArrayList<>();
        IngressBackend def = ingress.getSpec().getDefaultBackend();
        if (def != null && def.getService() != null) {
            out.add(new Route(null, def.getService()));
        }
        for (IngressRule rule : ingress.getSpec().getRules()) {
            if (rule.getHttp() == null) {
                continue;
            }
            for (HTTPIngressPath p : rule.getHttp().getPaths()) {
                if (p.getBackend() != null && p.getBackend().getService() != null) {
                    out.add(new Route(rule.getHost(), p.getBackend().getService()));
                }
            }
        }
        return out;
    }

    /** The name of the front Service port the Ingress targets (slices name their ports the same). */
    private static String frontPortName(Service front, IngressServiceBackend backend) {
        if (backend == null || backend.getPort() == null || front.getSpec() == null) {
            return null;
        }
        for (ServicePort p : front.getSpec().getPorts()) {
            if (Objects.equals(backend.getPort().getNumber(), p.getPort())
                    || backend.getPort().getName() != null && backend.getPort().getName().equals(p.getName())) {
                return p.getName();
            }
        }
        return null;
    }

    private static List<HostPort> endpoints(List<EndpointSlice> slices, String portName) {
        Set<HostPort> out = new LinkedHashSet<>();
        for (EndpointSlice slice : slices) {
            Integer port = slicePort(slice, portName);
            if (port == null) {
                continue;
            }
            for (String address : ReadyEndpoints.of(slice)) {
                out.add(new HostPort(address, port));
            }
        }
        List<HostPort> sorted = new ArrayList<>(out);
        sorted.sort(Comparator.comparing(HostPort::toString));
        return sorted;
    }

    private static Integer slicePort(EndpointSlice slice, String portName) {
        List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
        for (EndpointPort p : ports) {
            if (portName != null && portName.equals(p.getName())) {
                return p.getPort();
            }
        }
        return ports.size() == 1 ? ports.get(0).getPort() : null;
    }

    private static boolean isColor(String s) {
        try {
            Names.color(s);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    private static Duration drainTimeout(Map<String, String> annotations) {
        String v = annotations.get(ClusterNames.DRAIN_TIMEOUT);
        if (v == null) {
            return ServiceConfig.DEFAULT_DRAIN_TIMEOUT;
        }
        try {
            return Units.duration(v);
        } catch (ConfigException e) {
            return ServiceConfig.DEFAULT_DRAIN_TIMEOUT; // the controller reports the bad value (phase Blocked)
        }
    }
}
