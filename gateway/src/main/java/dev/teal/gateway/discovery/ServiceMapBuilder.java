package dev.teal.gateway.discovery;

import dev.teal.contract.Annotations;
import dev.teal.contract.ClusterNames;
import dev.teal.contract.ConfigException;
import dev.teal.contract.Defaults;
import dev.teal.contract.HostPort;
import dev.teal.contract.Names;
import dev.teal.contract.ServiceAnnotations;
import dev.teal.contract.Units;
import dev.teal.gateway.config.PathType;
import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.config.Routes;
import dev.teal.gateway.config.ServiceConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Turns the cluster objects the informers hold into the gateway's services and routes. A pure function: same objects
 * in, same result out. Linear in the number of objects: Services and EndpointSlices are indexed once by the keys they
 * are looked up by ({@code namespace/name}, and a slice's {@code kubernetes.io/service-name}).
 *
 * <ul>
 *   <li>Ingresses of the gateway's class: {@code spec.ingressClassName}, else the legacy annotation
 *       {@code kubernetes.io/ingress.class}, else (no class at all) when the class is the cluster's default
 *       IngressClass. Their rules merge, oldest Ingress first (creationTimestamp, then namespace/name).</li>
 *   <li>Each path of each rule becomes a {@link RouteRule}. A rule that cannot be routed is skipped and reported as a
 *       {@link Problem} ({@code InvalidRule}): a path that does not start with {@code /} or holds a regular expression
 *       or {@code *}, an unknown pathType, a backend Service or port that does not exist. The same host, path and
 *       pathType in a younger Ingress loses to the older one ({@code RuleConflict}, naming the winner).</li>
 *   <li>{@code spec.defaultBackend} of the oldest Ingress that has one gets what no rule matches.</li>
 *   <li>A backend Service with {@code teal.dev/serving} routes by color: the colors are {@code teal.dev/serving},
 *       {@code teal.dev/active} and every {@code <service>-<color>} Service with an EndpointSlice; each color's
 *       endpoints are that Service's. Any other Service routes to its own ready endpoints as one pool without colors
 *       ({@link ServiceConfig#NO_COLOR}). One with {@code teal.dev/active} but no {@code teal.dev/serving} yet is not
 *       routed until the controller sets it.</li>
 *   <li>The Ingress names a Service port by number or name; the endpoint port is the EndpointSlice port with the
 *       same name as that Service port (slices name their ports after the Service's). One port per Service.</li>
 *   <li>The service key is {@code <service>.<namespace>}; {@code drainTimeout} from {@code teal.dev/drain-timeout}
 *       (30s when absent or unreadable).</li>
 * </ul>
 */
public final class ServiceMapBuilder {
    /** The legacy annotation that named an Ingress's class before {@code spec.ingressClassName}. */
    static final String LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";

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

    /** The services to route, the routes to them, and where each service came from. */
    public record Result(Map<String, ServiceConfig> services, Routes routes, Map<String, Origin> origins) {
        /** Routes from the services' hosts (a snapshot file written before routes existed). */
        public Result(Map<String, ServiceConfig> services, Map<String, Origin> origins) {
            this(services, Routes.of(services, List.of()), origins);
        }
    }

    /**
     * One Ingress rule (or default backend) that is not routed, and why; becomes a Warning Event on the Ingress.
     *
     * @param reason {@link #INVALID_RULE}, {@link #RULE_CONFLICT} or {@link #BACKEND_NOT_SERVING}
     */
    public record Problem(String namespace, String ingress, String ingressUid, String reason, String message) {
        public static final String INVALID_RULE = "InvalidRule";
        public static final String RULE_CONFLICT = "RuleConflict";
        public static final String BACKEND_NOT_SERVING = "BackendNotServing";
        public static final String INVALID_ANNOTATION = "InvalidAnnotation";
    }

    /** A build: the result and the problems met on the way. */
    public record Build(Result result, List<Problem> problems) {
    }

    private final String ingressClass;
    private final Consumer<String> warn;
    private final ServiceAnnotations.LastGood settings = new ServiceAnnotations.LastGood();
    private long backendsBuilt;
    private long pathsVisited;

    /** @param warn receives one line for each problem of {@link #build(Collection, Collection, Collection)} */
    public ServiceMapBuilder(String ingressClass, Consumer<String> warn) {
        this.ingressClass = ingressClass;
        this.warn = warn;
    }

    /**
     * As {@link #build(Collection, Collection, Collection, boolean)} with the class not the default; problems go to
     * the warn consumer.
     */
    public Result build(Collection<Ingress> ingresses, Collection<Service> services, Collection<EndpointSlice> slices) {
        Build b = build(ingresses, services, slices, false);
        b.problems().forEach(p -> warn.accept("Ingress " + p.namespace() + "/" + p.ingress() + ": " + p.reason()
                + ": " + p.message()));
        return b.result();
    }

    /**
     * @param defaultClass whether the gateway's IngressClass carries {@code is-default-class: "true"}: then an Ingress
     *                     without any class is served too
     */
    public Build build(Collection<Ingress> ingresses, Collection<Service> services, Collection<EndpointSlice> slices,
                       boolean defaultClass) {
        return new Run(new ClusterIndex(services, slices), new HashMap<>()).run(ordered(ingresses, defaultClass));
    }

    /** The Ingresses of this gateway's class, oldest first (each creation time read once). */
    List<Ingress> ordered(Collection<Ingress> ingresses, boolean defaultClass) {
        record Aged(Instant created, String namespace, String name, Ingress ingress) {
        }
        // ties (objects created in the same second are the rule at scale) go by namespace and name, read once too: a
        // comparator that parsed the timestamps again made the first build at 10,000 Ingresses take seconds
        Map<String, Instant> parsed = new HashMap<>(); // objects created in the same second share a timestamp
        return ingresses.stream().filter(i -> serves(i, defaultClass))
                .map(i -> new Aged(parsed.computeIfAbsent(String.valueOf(i.getMetadata().getCreationTimestamp()),
                        t -> created(i.getMetadata().getCreationTimestamp())), i.getMetadata().getNamespace(),
                        i.getMetadata().getName(), i))
                .sorted(Comparator.comparing(Aged::created)
                        .thenComparing(Aged::namespace, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(Aged::name, Comparator.nullsFirst(Comparator.naturalOrder())))
                .map(Aged::ingress).toList();
    }

    /**
     * One build over an index kept by the caller; {@code cache} holds the backends built before (by Service key) and
     * receives the ones built now: a backend is built again only when it is missing or asked for another port.
     */
    Build run(ClusterIndex index, Map<String, Backend> cache, List<Ingress> ordered) {
        return new Run(index, cache).run(ordered);
    }

    /** One backend Service built again through the port it was routed by. */
    Backend rebuild(ClusterIndex index, Service svc, String portName) {
        return new Run(index, new HashMap<>()).backend(svc, portName);
    }

    /** How many backends (ServiceConfigs) this builder has built: the work counter of its tests. */
    long backendsBuilt() {
        return backendsBuilt;
    }

    /** How many Ingress paths this builder has visited: the other work counter. */
    long pathsVisited() {
        return pathsVisited;
    }

    /** Whether an Ingress belongs to this gateway's class. */
    public boolean serves(Ingress i, boolean defaultClass) {
        if (i.getSpec() == null) {
            return false;
        }
        String cls = i.getSpec().getIngressClassName();
        if (cls != null) {
            return ingressClass.equals(cls);
        }
        Map<String, String> a = i.getMetadata().getAnnotations();
        String legacy = a == null ? null : a.get(LEGACY_CLASS_ANNOTATION);
        return legacy != null ? ingressClass.equals(legacy) : defaultClass;
    }

    private static Instant created(String timestamp) {
        if (timestamp == null) {
            return Instant.MAX;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }

    /**
     * Services and slices indexed by the keys they are looked up by ({@code namespace/name}, a slice's
     * {@code kubernetes.io/service-name}), kept up to date one object at a time: each change says which backend
     * Services it makes stale.
     */
    static final class ClusterIndex {
        final Map<String, Service> services = new HashMap<>();
        final Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
        final Map<String, Set<String>> colorsByFront = new HashMap<>();
        private final Map<String, String> ownerBySlice = new HashMap<>();
        private final Set<String> fronts = new HashSet<>();

        ClusterIndex() {
        }

        ClusterIndex(Collection<Service> all, Collection<EndpointSlice> slices) {
            all.forEach(this::putService);
            slices.forEach(this::putSlice);
        }

        static String key(HasMetadata o) {
            return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
        }

        /** @return the keys of the backends this makes stale, or null: every backend (the set of fronts changed) */
        Collection<String> putService(Service s) {
            String key = key(s);
            services.put(key, s);
            Map<String, String> a = s.getMetadata().getAnnotations();
            return front(key, a != null && a.containsKey(Annotations.SERVING));
        }

        /** @return as {@link #putService} */
        Collection<String> removeService(String key) {
            services.remove(key);
            return front(key, false);
        }

        private Collection<String> front(String key, boolean isFront) {
            boolean changed = isFront ? fronts.add(key) : fronts.remove(key);
            if (!changed) {
                return List.of(key);
            }
            colorsByFront.clear();
            slicesByService.keySet().forEach(this::attach);
            return null;
        }

        /** @return the keys of the backends this makes stale (the slice's Service and the front it is a color of) */
        Collection<String> putSlice(EndpointSlice slice) {
            String sliceKey = key(slice);
            Map<String, String> labels = slice.getMetadata().getLabels();
            String label = labels == null ? null : labels.get(Annotations.SERVICE_NAME_LABEL);
            String owner = label == null ? null : slice.getMetadata().getNamespace() + "/" + label;
            Set<String> stale = new HashSet<>(4);
            detach(sliceKey, stale);
            if (owner != null) {
                ownerBySlice.put(sliceKey, owner);
                List<EndpointSlice> list = slicesByService.computeIfAbsent(owner, k -> new ArrayList<>(1));
                list.add(slice);
                if (list.size() == 1) {
                    attach(owner);
                }
                stale(owner, stale);
            }
            return stale;
        }

        /** Puts {@code slice} in the place of the one held under its key (same owner: nothing else changes). */
        void replaceSlice(EndpointSlice slice) {
            String key = key(slice);
            String owner = ownerBySlice.get(key);
            List<EndpointSlice> list = owner == null ? null : slicesByService.get(owner);
            if (list != null) {
                list.replaceAll(held -> key(held).equals(key) ? slice : held);
            }
        }

        /** The slice held under the key of {@code slice} (its namespace and name), or null. */
        EndpointSlice slice(EndpointSlice slice) {
            String key = key(slice);
            String owner = ownerBySlice.get(key);
            List<EndpointSlice> list = owner == null ? null : slicesByService.get(owner);
            if (list != null) {
                for (EndpointSlice held : list) {
                    if (key(held).equals(key)) {
                        return held;
                    }
                }
            }
            return null;
        }

        /** @return as {@link #putSlice} */
        Collection<String> removeSlice(String sliceKey) {
            Set<String> stale = new HashSet<>(4);
            detach(sliceKey, stale);
            return stale;
        }

        private void detach(String sliceKey, Set<String> stale) {
            String owner = ownerBySlice.remove(sliceKey);
            if (owner == null) {
                return;
            }
            List<EndpointSlice> list = slicesByService.get(owner);
            if (list != null) {
                list.removeIf(s -> key(s).equals(sliceKey));
                if (list.isEmpty()) {
                    slicesByService.remove(owner);
                    String[] fc = frontColor(owner);
                    if (fc != null) {
                        Set<String> colors = colorsByFront.get(fc[0]);
                        if (colors != null && colors.remove(fc[1]) && colors.isEmpty()) {
                            colorsByFront.remove(fc[0]);
                        }
                    }
                }
            }
            stale(owner, stale);
        }

        private void stale(String owner, Set<String> stale) {
            stale.add(owner);
            String[] fc = frontColor(owner);
            if (fc != null) {
                stale.add(fc[0]);
            }
        }

        /** A slice owner that is a color Service: its colors entry under its front. */
        private void attach(String owner) {
            String[] fc = frontColor(owner);
            if (fc != null) {
                colorsByFront.computeIfAbsent(fc[0], k -> new TreeSet<>()).add(fc[1]);
            }
        }

        /** {@code <front>-<color>}: the longest front that prefixes it (shop-api-blue is shop-api's, not shop's). */
        private String[] frontColor(String owner) {
            if (fronts.contains(owner)) {
                return null;
            }
            for (int dash = owner.lastIndexOf('-'); dash > owner.indexOf('/') + 1;
                 dash = owner.lastIndexOf('-', dash - 1)) {
                String front = owner.substring(0, dash);
                if (fronts.contains(front)) {
                    String color = owner.substring(dash + 1);
                    return isColor(color) ? new String[] {front, color} : null;
                }
            }
            return null;
        }

        List<EndpointSlice> slicesOf(String namespace, String service) {
            return slicesByService.getOrDefault(namespace + "/" + service, List.of());
        }
    }

    /** A backend Service as routed: its config and origin, or why it cannot be routed. */
    record Backend(String portName, ServiceConfig config, Origin origin, String reason, String failure) {
    }

    /** One build over the indexed objects. */
    private final class Run {
        final ClusterIndex index;
        final Map<String, Backend> cache;
        final Map<String, Backend> backends = new LinkedHashMap<>();
        final Map<String, String> claims = new HashMap<>();
        final List<RouteRule> rules = new ArrayList<>();
        final java.util.TreeSet<String> sslRedirectHosts = new java.util.TreeSet<>();
        final List<Problem> problems = new ArrayList<>();
        String defaultService;
        String defaultOwner;

        Run(ClusterIndex index, Map<String, Backend> cache) {
            this.index = index;
            this.cache = cache;
        }

        Build run(List<Ingress> ordered) {
            for (Ingress ingress : ordered) {
                ingress(ingress);
            }
            Set<String> used = new HashSet<>();
            rules.forEach(r -> used.add(r.service()));
            if (defaultService != null) {
                used.add(defaultService);
            }
            Map<String, ServiceConfig> services = new LinkedHashMap<>();
            Map<String, Origin> origins = new LinkedHashMap<>();
            for (Backend b : backends.values()) {
                if (b.config() != null && used.contains(b.config().name())) { // not a loser's only backend
                    services.put(b.config().name(), b.config());
                    origins.put(b.config().name(), b.origin());
                }
            }
            return new Build(new Result(services, new Routes(rules, defaultService, sslRedirectHosts), origins),
                    List.copyOf(problems));
        }

        void ingress(Ingress ingress) {
            String ns = ingress.getMetadata().getNamespace();
            String id = ns + "/" + ingress.getMetadata().getName();
            IngressBackend def = ingress.getSpec().getDefaultBackend();
            if (def != null) {
                Backend b = resolve(ns, def);
                if (b.failure() != null) {
                    problem(ingress, b.reason(), "defaultBackend: " + b.failure());
                } else if (defaultService == null) {
                    defaultService = b.config().name();
                    defaultOwner = id;
                } else {
                    problem(ingress, Problem.RULE_CONFLICT, "defaultBackend: Ingress " + defaultOwner
                            + " (older) sets the default backend already; this one is ignored");
                }
            }
            List<IngressRule> rs = ingress.getSpec().getRules() == null ? List.of() : ingress.getSpec().getRules();
            sslRedirect(ingress, rs);
            for (int r = 0; r < rs.size(); r++) {
                IngressRule rule = rs.get(r);
                if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                    continue;
                }
                for (int p = 0; p < rule.getHttp().getPaths().size(); p++) {
                    path(ingress, id, rule.getHost(), rule.getHttp().getPaths().get(p), r, p);
                }
            }
        }

        /**
         * {@code teal.dev/ssl-redirect: "true"}: the hosts of the Ingress's rules are redirected to HTTPS on plain
         * HTTP; another value than true or false is reported and redirects nothing.
         */
        void sslRedirect(Ingress ingress, List<IngressRule> rs) {
            Map<String, String> a = ingress.getMetadata().getAnnotations();
            String v = a == null ? null : a.get(Annotations.SSL_REDIRECT);
            if (v == null || v.trim().equals("false")) {
                return;
            }
            if (!v.trim().equals("true")) {
                problem(ingress, Problem.INVALID_ANNOTATION, Annotations.SSL_REDIRECT + ": '" + v
                        + "' is not true or false; nothing is redirected");
                return;
            }
            for (IngressRule rule : rs) {
                if (rule.getHost() != null && !rule.getHost().isEmpty()) {
                    try {
                        sslRedirectHosts.add(Names.host(rule.getHost()));
                    } catch (ConfigException e) {
                        // the rule's own check reports the host
                    }
                }
            }
        }

        void path(Ingress ingress, String id, String rawHost, HTTPIngressPath p, int ruleIndex, int pathIndex) {
            pathsVisited++;
            String ns = ingress.getMetadata().getNamespace();
            java.util.function.Supplier<String> label = () -> "rules[" + ruleIndex + "].http.paths[" + pathIndex
                    + "] (host " + (rawHost == null || rawHost.isEmpty() ? "*" : rawHost) + ", path " + p.getPath()
                    + ")";
            String host;
            PathType type;
            String path = p.getPath();
            try {
                host = rawHost == null || rawHost.isEmpty() ? null : Names.host(rawHost);
                type = PathType.parse(p.getPathType());
                if (type == PathType.IMPLEMENTATION_SPECIFIC && (path == null || path.isEmpty())) {
                    path = "/";
                }
                RouteRule.checkPath(path, type);
            } catch (ConfigException e) {
                problem(ingress, Problem.INVALID_RULE, label.get() + ": " + e.getMessage());
                return;
            }
            if (p.getBackend() == null || p.getBackend().getService() == null) {
                problem(ingress, Problem.INVALID_RULE, label.get() + ": only Service backends are supported");
                return;
            }
            Backend b = resolve(ns, p.getBackend());
            if (b.failure() != null) {
                problem(ingress, b.reason(), label.get() + ": " + b.failure());
                return;
            }
            RouteRule route = new RouteRule(host, path, type, b.config().name());
            String owner = claims.putIfAbsent(route.conflictKey(), id);
            if (owner == null) {
                rules.add(route);
            } else if (owner.equals(id)) {
                problem(ingress, Problem.INVALID_RULE, label.get() + ": the same host, path and pathType appear"
                        + " earlier in this Ingress; ignored");
            } else {
                problem(ingress, Problem.RULE_CONFLICT, label.get() + ": Ingress " + owner + " (older) routes the same"
                        + " host, path and pathType already; this rule is ignored");
            }
        }

        void problem(Ingress ingress, String reason, String message) {
            problems.add(new Problem(ingress.getMetadata().getNamespace(), ingress.getMetadata().getName(),
                    ingress.getMetadata().getUid(), reason, message));
        }

        /** The backend an Ingress names, built on first use; one port per Service. */
        Backend resolve(String ns, IngressBackend backend) {
            IngressServiceBackend ref = backend.getService();
            if (ref == null || ref.getName() == null) {
                return failed(Problem.INVALID_RULE, "only Service backends are supported");
            }
            Service svc = index.services.get(ns + "/" + ref.getName());
            if (svc == null) {
                return failed(Problem.INVALID_RULE, "Service " + ns + "/" + ref.getName() + " does not exist");
            }
            ServicePort port = servicePort(svc, ref);
            if (port == null) {
                String which = ref.getPort() == null ? "(none given)" : ref.getPort().getName() != null
                        ? "named '" + ref.getPort().getName() + "'" : String.valueOf(ref.getPort().getNumber());
                return failed(Problem.INVALID_RULE, "Service " + ns + "/" + ref.getName() + " has no port " + which);
            }
            String portName = port.getName() == null ? "" : port.getName();
            String key = ns + "/" + ref.getName();
            Backend known = backends.get(key);
            if (known == null) {
                known = cache.get(key);
                if (known == null || (known.failure() == null && !known.portName().equals(portName))) {
                    known = backend(svc, portName);
                    cache.put(key, known);
                }
                backends.put(key, known);
            }
            if (known.failure() == null && !known.portName().equals(portName)) {
                return failed(Problem.INVALID_RULE, "Service " + key + " is routed through its port '"
                        + known.portName() + "' already; Teal routes one port per Service");
            }
            return known;
        }

        /**
         * The one place a backend Service's annotations are read: color-managed (teal.dev/serving) or plain.
         */
        Backend backend(Service svc, String portName) {
            backendsBuilt++;
            String ns = svc.getMetadata().getNamespace();
            String name = svc.getMetadata().getName();
            String key = ClusterNames.serviceKey(ns, name);
            Map<String, String> a = svc.getMetadata().getAnnotations() == null ? Map.of()
                    : svc.getMetadata().getAnnotations();
            String rv = svc.getMetadata().getResourceVersion();
            try {
                Duration drain = drainTimeout(a);
                String servingValue = a.get(Annotations.SERVING);
                if (servingValue == null && a.containsKey(Annotations.ACTIVE)) {
                    return failed(Problem.BACKEND_NOT_SERVING, "Service " + ns + "/" + name + " has "
                            + Annotations.ACTIVE + " but no " + Annotations.SERVING
                            + " yet (the controller sets it); not routed until then");
                }
                if (servingValue == null) {
                    Map<String, List<HostPort>> pool = Map.of(ServiceConfig.NO_COLOR,
                            endpoints(index.slicesOf(ns, name), portName));
                    return new Backend(portName, ServiceConfig.of(settings.of(key, a, warn), key, List.of(),
                            ServiceConfig.NO_COLOR, drain, pool), new Origin(ns, name, null, rv), null, null);
                }
                String serving = Names.color(servingValue);
                Set<String> colors = new LinkedHashSet<>();
                colors.add(serving);
                String active = a.get(Annotations.ACTIVE);
                if (active != null && isColor(active)) {
                    colors.add(active);
                }
                colors.addAll(index.colorsByFront.getOrDefault(ns + "/" + name, Set.of()));
                Map<String, List<HostPort>> endpoints = new LinkedHashMap<>();
                for (String color : colors) {
                    endpoints.put(color, endpoints(index.slicesOf(ns, ClusterNames.colorService(name, color)),
                            portName));
                }
                ServiceConfig config = ServiceConfig.of(settings.of(key, a, warn), key, List.of(), serving, drain,
                        endpoints);
                return new Backend(portName, config,
                        new Origin(ns, name, serving, rv), null, null);
            } catch (ConfigException e) {
                return failed(Problem.INVALID_RULE, "Service " + ns + "/" + name + " cannot be routed: "
                        + e.getMessage());
            }
        }

        private Backend failed(String reason, String why) {
            return new Backend(null, null, null, reason, why);
        }
    }

    /** The Service port an Ingress backend names, by number or by name; null if there is none. */
    private static ServicePort servicePort(Service svc, IngressServiceBackend ref) {
        if (ref.getPort() == null || svc.getSpec() == null || svc.getSpec().getPorts() == null) {
            return null;
        }
        for (ServicePort p : svc.getSpec().getPorts()) {
            if (ref.getPort().getName() != null && !ref.getPort().getName().isEmpty()
                    ? ref.getPort().getName().equals(p.getName())
                    : Objects.equals(ref.getPort().getNumber(), p.getPort())) {
                return p;
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

    /** The slice port named like the Service port (an unnamed port is named ""). */
    private static Integer slicePort(EndpointSlice slice, String portName) {
        List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
        for (EndpointPort p : ports) {
            if (portName.equals(p.getName() == null ? "" : p.getName())) {
                return p.getPort();
            }
        }
        return null;
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
        String v = annotations.get(Annotations.DRAIN_TIMEOUT);
        if (v == null) {
            return Defaults.DRAIN_TIMEOUT;
        }
        try {
            return Units.duration(v);
        } catch (ConfigException e) {
            return Defaults.DRAIN_TIMEOUT; // the controller reports the bad value (phase Blocked)
        }
    }
}
