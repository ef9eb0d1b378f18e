package dev.teal.gateway.discovery;

import dev.teal.contract.Annotations;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceable;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Instant;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on Ingresses, Services, EndpointSlices and the gateway's IngressClass; after every change, once the first
 * three have listed, the service map and routes are brought up to date and handed to {@code onChange} when they differ
 * from the last ones. Events only mark {@code namespace/name} keys dirty; one thread (coalescing every change pending
 * when it starts) reads them again from the stores into a {@link ClusterState}, which builds again only what they
 * touch. Each Ingress rule that cannot be routed is logged once and recorded as a Warning Event on its Ingress
 * ({@code InvalidRule}, {@code RuleConflict}, {@code BackendNotServing}) when it first appears; the other rules keep
 * routing. Informers retry for ever when the
 * API server cannot be reached and relist when a watch expires ({@code 410 Gone}); what they hold meanwhile stays,
 * and so does the gateway's routing.
 *
 * <p>With a publish Service ({@code namespace/name}) it also writes that Service's address into
 * {@code status.loadBalancer} of every Ingress of its class, as ingress controllers conventionally do.
 */
public final class ClusterDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDiscovery.class);
    private static final long RESYNC_MILLIS = 5 * 60_000L;
    /** The exit status when discovery runs out of memory (see {@link #outOfResources}). */
    public static final int EXIT_OUT_OF_RESOURCES = 3;

    private final KubernetesClient client;
    private final String ingressClass;
    private final String publishNamespace;
    private final String publishName;
    private final Consumer<ServiceMapBuilder.Result> onChange;
    private final ServiceMapBuilder builder;
    private final DiscoveryMeters meters;
    private final ExecutorService executor;
    private final AtomicBoolean rebuildQueued = new AtomicBoolean();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final SharedIndexInformer<Ingress> ingresses;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Service> publish;
    private final SharedIndexInformer<IngressClass> ingressClasses;
    private final String identity;
    /** Objects changed since the last rebuild, as (informer, {@code namespace/name}); read again from the store. */
    private final Set<Dirty> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean addressDirty = new AtomicBoolean(true);
    private ClusterState state;
    private List<ServiceMapBuilder.Problem> reportedList;
    private Set<ServiceMapBuilder.Problem> reported = Set.of();
    private volatile ServiceMapBuilder.Result last;
    private volatile boolean closed;
    private volatile Runnable afterRebuild = () -> { };
    /** When {@link #start} was called; the first rebuild logs its phases against it. */
    private volatile long startedNanos;
    private boolean firstLogged;

    /**
     * @param namespace      the namespace to follow, or null for all
     * @param publishService {@code namespace/name} of the gateway's Service, or null to leave Ingress status alone
     * @param onChange       receives each new service map; throwing refuses it (it is offered again on the next change)
     */
    public ClusterDiscovery(KubernetesClient client, String namespace, String ingressClass, String publishService,
                            Consumer<ServiceMapBuilder.Result> onChange) {
        this(client, namespace, ingressClass, publishService, onChange, new SimpleMeterRegistry());
    }

    /** As above, with the {@code teal_discovery_*} meters in {@code registry}. */
    public ClusterDiscovery(KubernetesClient client, String namespace, String ingressClass, String publishService,
                            Consumer<ServiceMapBuilder.Result> onChange, MeterRegistry registry) {
        this.meters = new DiscoveryMeters(registry);
        this.client = client;
        this.ingressClass = ingressClass;
        this.onChange = onChange;
        this.builder = new ServiceMapBuilder(ingressClass, w -> LOG.atWarn().addKeyValue("detail", w)
                .log("cluster object skipped"));
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "teal-discovery");
            t.setDaemon(true);
            return t;
        });
        this.ingresses = informer(scope(client.network().v1().ingresses(), namespace));
        this.services = informer(scope(client.services(), namespace));
        this.slices = informer(scope(client.discovery().v1().endpointSlices(), namespace));
        this.ingressClasses = informer(client.network().v1().ingressClasses().withName(ingressClass));
        informers.remove(ingressClasses); // optional: without it (no RBAC, not there yet) the class is not the default
        this.identity = identity();
        if (publishService != null) {
            int slash = publishService.indexOf('/');
            if (slash <= 0 || slash == publishService.length() - 1) {
                throw new IllegalArgumentException("--publish-service must be NAMESPACE/NAME, not '"
                        + publishService + "'");
            }
            publishNamespace = publishService.substring(0, slash);
            publishName = publishService.substring(slash + 1);
            publish = informer(client.services().inNamespace(publishNamespace).withName(publishName));
        } else {
            publishNamespace = null;
            publishName = null;
            publish = null;
        }
    }

    /** Who records Events: the pod's name. */
    static String identity() {
        return System.getenv().getOrDefault("POD_NAME", System.getenv().getOrDefault("HOSTNAME", "teal-gateway"));
    }

    private static <T, L, R> Informable<T> scope(MixedOperation<T, L, ?> op, String namespace) {
        return namespace == null ? ((AnyNamespaceable<? extends Informable<T>>) op).inAnyNamespace()
                : (Informable<T>) op.inNamespace(namespace);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(Informable<T> source) {
        SharedIndexInformer<T> informer = source.runnableInformer(RESYNC_MILLIS).itemStore(new TrimmedItemStore<>());
        informer.exceptionHandler((started, error) -> {
            if (error instanceof VirtualMachineError fatal) {
                outOfResources(fatal);
            }
            if (closed) {
                return false;
            }
            LOG.atWarn().addKeyValue("kind", informer.getApiTypeClass().getSimpleName())
                    .addKeyValue("error", String.valueOf(error.getMessage())).log("watch failed; retrying");
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                changed(informer, obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (oldObj != newObj) {
                    changed(informer, newObj);
                } else if (informer == ingresses || informer == publish) {
                    addressDirty.set(true); // a resync: nothing changed, but a failed status write is retried
                    changed();
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed(informer, obj);
            }
        });
        informers.add(informer);
        return informer;
    }

    /** Starts every informer; the future completes once all have listed (never, while the API is unreachable). */
    public CompletableFuture<Void> start() {
        ingressClasses.start();
        long started = System.nanoTime();
        startedNanos = started;
        CompletableFuture<?>[] synced = informers.stream().map(i -> i.start().toCompletableFuture()
                        .thenRun(() -> LOG.atInfo().addKeyValue("kind", i.getApiTypeClass().getSimpleName())
                                .addKeyValue("objects", i.getStore().list().size())
                                .addKeyValue("tookMs", (System.nanoTime() - started) / 1_000_000)
                                .log("informer listed")))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(synced).thenRun(this::changed);
    }

    /** Whether every informer has listed at least once. */
    public boolean synced() {
        return informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** The last service map handed on, or null. */
    public ServiceMapBuilder.Result last() {
        return last;
    }

    /** One changed object; its key is read again from its informer's store at the next rebuild. */
    private record Dirty(SharedIndexInformer<?> informer, String key) {
    }

    private void changed(SharedIndexInformer<?> informer, HasMetadata obj) {
        if (informer == ingresses || informer == publish || informer == ingressClasses) {
            addressDirty.set(true);
        }
        dirty.add(new Dirty(informer, Cache.metaNamespaceKeyFunc(obj)));
        changed();
    }

    private void changed() {
        meters.changeQueued();
        if (!closed && rebuildQueued.compareAndSet(false, true)) {
            try {
                executor.execute(this::measuredRebuild);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                rebuildQueued.set(false);
            }
        }
    }

    /** The one hook of the {@code teal_discovery_*} meters: queue delay before, apply time after. */
    private void measuredRebuild() {
        long started = meters.applyStarted();
        try {
            rebuild();
        } catch (VirtualMachineError e) {
            outOfResources(e);
        } finally {
            meters.applyEnded(started);
        }
    }

    /**
     * The discovery thread or an informer ran out of memory (or stack): the cluster view may be half updated and would
     * silently stop following the cluster. The process exits at once with status 3 (no graceful drain: nothing can be
     * trusted to run) so that Kubernetes restarts it and counts the restart; the log line says why and how big the
     * heap was.
     */
    private static void outOfResources(VirtualMachineError e) {
        try {
            LOG.atError().addKeyValue("error", e.getClass().getSimpleName())
                    .addKeyValue("detail", String.valueOf(e.getMessage()))
                    .addKeyValue("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20)
                    .log("cluster discovery failed; exiting (status 3) so that the pod restarts: raise the heap (-Xmx,"
                            + " or the container memory limit) or narrow what the gateway watches (--namespace)");
        } finally {
            Runtime.getRuntime().halt(EXIT_OUT_OF_RESOURCES);
        }
    }

    private void rebuild() {
        rebuildQueued.set(false);
        if (closed || !synced()) {
            return; // a partial view (say, Services without their slices) would route to nothing
        }
        long t0 = System.nanoTime();
        ServiceMapBuilder.Build build = catchUp().build();
        long t1 = System.nanoTime();
        ServiceMapBuilder.Result next = build.result();
        ServiceMapBuilder.Result prev = last;
        if (prev == null || !prev.equals(next)) {
            try {
                onChange.accept(next);
                last = next;
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("error", String.valueOf(e.getMessage()))
                        .log("cluster state refused; keeping the running routing");
            }
        }
        if (!firstLogged && last != null) {
            firstLogged = true; // the start's phases: listed (above), read and built, applied (pools, meters, routes)
            long t2 = System.nanoTime();
            LOG.atInfo().addKeyValue("services", last.services().size())
                    .addKeyValue("buildMs", (t1 - t0) / 1_000_000).addKeyValue("applyMs", (t2 - t1) / 1_000_000)
                    .addKeyValue("sinceStartMs", (t2 - startedNanos) / 1_000_000)
                    .log("cluster routed");
        }
        if (build.problems() != reportedList) {
            report(build.problems());
            reportedList = build.problems();
        }
        if (addressDirty.getAndSet(false)) {
            publishAddress();
        }
        afterRebuild.run();
    }

    /** Runs on the discovery thread after every rebuild (the Ingress TLS certificates follow the Ingresses). */
    public void afterRebuild(Runnable action) {
        this.afterRebuild = Objects.requireNonNull(action);
    }

    /** The Ingresses of the gateway's class, as the informer holds them now. */
    public List<Ingress> servedIngresses() {
        boolean defaultClass = defaultClass();
        return ingresses.getStore().list().stream().filter(i -> builder.serves(i, defaultClass)).toList();
    }

    /** The client, and who records Events ({@code POD_NAME}), for what works beside discovery. */
    KubernetesClient client() {
        return client;
    }

    /**
     * The cluster state brought up to date: at the first rebuild from everything the informers hold, then from each
     * object changed since (looked up again by key: the store has its newest version, or none once deleted).
     */
    private ClusterState catchUp() {
        if (state == null) {
            dirty.clear(); // everything is read now; later events are applied on top
            state = new ClusterState(builder);
            ingresses.getStore().list().forEach(state::putIngress);
            services.getStore().list().forEach(state::putService);
            slices.getStore().list().forEach(state::putSlice);
        } else {
            for (java.util.Iterator<Dirty> it = dirty.iterator(); it.hasNext(); ) {
                Dirty d = it.next();
                it.remove();
                if (d.informer() == ingresses) {
                    Ingress i = ingresses.getStore().getByKey(d.key());
                    if (i == null) {
                        state.removeIngress(d.key());
                    } else {
                        state.putIngress(i);
                    }
                } else if (d.informer() == services) {
                    Service s = services.getStore().getByKey(d.key());
                    if (s == null) {
                        state.removeService(d.key());
                    } else {
                        state.putService(s);
                    }
                } else if (d.informer() == slices) {
                    EndpointSlice s = slices.getStore().getByKey(d.key());
                    if (s == null) {
                        state.removeSlice(d.key());
                    } else {
                        state.putSlice(s);
                    }
                }
            }
        }
        state.defaultClass(defaultClass());
        return state;
    }

    /** Whether the gateway's IngressClass is the cluster's default (then Ingresses without a class are ours). */
    private boolean defaultClass() {
        for (IngressClass c : ingressClasses.getStore().list()) {
            Map<String, String> a = c.getMetadata().getAnnotations();
            if (ingressClass.equals(c.getMetadata().getName()) && a != null
                    && "true".equals(a.get(Annotations.DEFAULT_CLASS_ANNOTATION))) {
                return true;
            }
        }
        return false;
    }

    /** Logs and records each problem that was not there at the last rebuild (once, not at every rebuild). */
    private void report(List<ServiceMapBuilder.Problem> problems) {
        Set<ServiceMapBuilder.Problem> now = new HashSet<>(problems);
        for (ServiceMapBuilder.Problem p : problems) {
            if (reported.contains(p)) {
                continue;
            }
            LOG.atWarn().addKeyValue("ingress", p.namespace() + "/" + p.ingress()).addKeyValue("reason", p.reason())
                    .addKeyValue("detail", p.message()).log("ingress rule not routed");
            event(p);
        }
        reported = now;
    }

    private void event(ServiceMapBuilder.Problem p) {
        warning(client, identity, p);
    }

    /** Records {@code p} as a Warning Event on its Ingress; best effort (a failure is logged). */
    static void warning(KubernetesClient client, String identity, ServiceMapBuilder.Problem p) {
        String ts = Instant.now().toString();
        String name = p.ingress() + "." + Long.toHexString(System.currentTimeMillis())
                + Integer.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        try {
            client.v1().events().inNamespace(p.namespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(p.namespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion("networking.k8s.io/v1").withKind("Ingress")
                    .withNamespace(p.namespace()).withName(p.ingress()).withUid(p.ingressUid()).endInvolvedObject()
                    .withType("Warning").withReason(p.reason()).withMessage(p.message())
                    .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
                    .withNewSource().withComponent("teal-gateway").withHost(identity).endSource()
                    .withReportingComponent("teal.dev/gateway").withReportingInstance(identity)
                    .build()).create();
        } catch (KubernetesClientException e) {
            // best effort, as Events are in Kubernetes; the log line above says the same
            LOG.atWarn().addKeyValue("ingress", p.namespace() + "/" + p.ingress()).addKeyValue("reason", p.reason())
                    .addKeyValue("code", e.getCode()).log("could not record event");
        }
    }

    private void publishAddress() {
        if (publish == null) {
            return;
        }
        List<IngressLoadBalancerIngress> want = address(publish.getStore().list().stream()
                .filter(s -> publishName.equals(s.getMetadata().getName())
                        && publishNamespace.equals(s.getMetadata().getNamespace()))
                .findFirst().orElse(null));
        if (want.isEmpty()) {
            return;
        }
        boolean defaultClass = defaultClass();
        for (Ingress i : ingresses.getStore().list()) {
            if (!builder.serves(i, defaultClass)) {
                continue;
            }
            List<IngressLoadBalancerIngress> have = i.getStatus() == null || i.getStatus().getLoadBalancer() == null
                    ? List.of() : i.getStatus().getLoadBalancer().getIngress();
            if (Objects.equals(have, want)) {
                continue;
            }
            try {
                client.network().v1().ingresses().inNamespace(i.getMetadata().getNamespace())
                        .withName(i.getMetadata().getName()).editStatus(x -> {
                            x.setStatus(new IngressStatus(new IngressLoadBalancerStatus(want)));
                            return x;
                        });
            } catch (KubernetesClientException e) {
                LOG.atWarn().addKeyValue("ingress", i.getMetadata().getNamespace() + "/" + i.getMetadata().getName())
                        .addKeyValue("code", e.getCode()).log("cannot write Ingress status");
            }
        }
    }

    /** The publish Service's address: its load balancer, else its external IPs, else its cluster IP. */
    static List<IngressLoadBalancerIngress> address(Service s) {
        List<IngressLoadBalancerIngress> out = new ArrayList<>();
        if (s == null) {
            return out;
        }
        if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null
                && s.getStatus().getLoadBalancer().getIngress() != null) {
            s.getStatus().getLoadBalancer().getIngress().forEach(lb -> out.add(new IngressLoadBalancerIngressBuilder()
                    .withIp(lb.getIp()).withHostname(lb.getHostname()).build()));
        }
        if (out.isEmpty() && s.getSpec() != null && s.getSpec().getExternalIPs() != null) {
            s.getSpec().getExternalIPs().forEach(ip -> out.add(new IngressLoadBalancerIngressBuilder().withIp(ip)
                    .build()));
        }
        if (out.isEmpty() && s.getSpec() != null && s.getSpec().getClusterIP() != null
                && !"None".equals(s.getSpec().getClusterIP())) {
            out.add(new IngressLoadBalancerIngressBuilder().withIp(s.getSpec().getClusterIP()).build());
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::stop);
        ingressClasses.stop();
        executor.shutdownNow();
    }
}
