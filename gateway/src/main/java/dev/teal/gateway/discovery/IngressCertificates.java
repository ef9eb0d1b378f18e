package dev.teal.gateway.discovery;

import dev.teal.contract.ConfigException;
import dev.teal.gateway.tls.CertificateLoader;
import dev.teal.gateway.tls.CertificateStore;
import dev.teal.gateway.tls.ServerCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates of {@code spec.tls} of the gateway's Ingresses: Secrets of type {@code kubernetes.io/tls} (keys
 * {@code tls.crt}, {@code tls.key}) read by an informer per namespace the gateway may read Secrets in, and served by
 * SNI beside the configured ones ({@link CertificateStore#useClusterCertificates}). A Secret that is missing, in a
 * namespace not granted, of another type, or whose pair does not load is a Warning Event on the Ingress
 * ({@code TLSSecretMissing}, {@code TLSSecretInvalid}) and its hosts get the default certificate; nothing else changes.
 * Work runs on one thread, coalescing every change pending when it starts.
 */
public final class IngressCertificates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IngressCertificates.class);
    static final String SECRET_MISSING = "TLSSecretMissing";
    static final String SECRET_INVALID = "TLSSecretInvalid";
    static final String TLS_TYPE = "kubernetes.io/tls";
    private static final long RESYNC_MILLIS = 5 * 60_000L;

    private final KubernetesClient client;
    private final Set<String> namespaces;
    private final Supplier<List<Ingress>> ingresses;
    private final CertificateStore store;
    private final CertificateLoader loader;
    private final List<SharedIndexInformer<Secret>> informers = new ArrayList<>();
    private final ExecutorService executor;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final String identity = ClusterDiscovery.identity();
    /** Loaded pairs by Secret {@code namespace/name}, with the resourceVersion they came from. */
    private final Map<String, Loaded> cache = new HashMap<>();
    private Set<ServiceMapBuilder.Problem> reported = Set.of();
    private volatile boolean closed;

    private record Loaded(String resourceVersion, ServerCertificate certificate, String error) {
    }

    /**
     * @param namespaces the namespaces whose Secrets are read (an informer each); null: every namespace
     * @param ingresses  the Ingresses of the gateway's class, now
     */
    public IngressCertificates(KubernetesClient client, List<String> namespaces, Supplier<List<Ingress>> ingresses,
                               CertificateStore store, CertificateLoader loader) {
        this.client = client;
        this.namespaces = namespaces == null ? null : Set.copyOf(namespaces);
        this.ingresses = ingresses;
        this.store = store;
        this.loader = loader;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "teal-tls-secrets");
            t.setDaemon(true);
            return t;
        });
        if (namespaces == null) {
            informers.add(informer(client.secrets().inAnyNamespace().withField("type", TLS_TYPE)
                    .runnableInformer(RESYNC_MILLIS)));
        } else {
            for (String ns : namespaces) {
                informers.add(informer(client.secrets().inNamespace(ns).withField("type", TLS_TYPE)
                        .runnableInformer(RESYNC_MILLIS)));
            }
        }
    }

    private SharedIndexInformer<Secret> informer(SharedIndexInformer<Secret> informer) {
        informer.exceptionHandler((started, error) -> {
            if (closed) {
                return false;
            }
            LOG.atWarn().addKeyValue("kind", "Secret").addKeyValue("error", String.valueOf(error.getMessage()))
                    .log("watch failed; retrying");
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret obj) {
                changed();
            }

            @Override
            public void onUpdate(Secret oldObj, Secret newObj) {
                if (oldObj != newObj) {
                    changed();
                }
            }

            @Override
            public void onDelete(Secret obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        });
        return informer;
    }

    /** Starts the Secret informers; completes once all have listed. */
    public CompletableFuture<Void> start() {
        CompletableFuture<?>[] synced = informers.stream().map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(synced).thenRun(this::changed);
    }

    /** Something changed (an Ingress, a Secret): the certificates are worked out again on the TLS thread. */
    public void changed() {
        if (!closed && queued.compareAndSet(false, true)) {
            try {
                executor.execute(this::update);
            } catch (RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    private void update() {
        queued.set(false);
        if (closed || !informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
            return;
        }
        List<ServerCertificate> served = new ArrayList<>();
        List<ServiceMapBuilder.Problem> problems = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Ingress i : ingresses.get()) {
            if (i.getSpec() == null || i.getSpec().getTls() == null) {
                continue;
            }
            String ns = i.getMetadata().getNamespace();
            for (IngressTLS tls : i.getSpec().getTls()) {
                if (tls.getSecretName() == null || tls.getSecretName().isEmpty()) {
                    continue; // hosts without a Secret get the default certificate
                }
                String key = ns + "/" + tls.getSecretName();
                List<String> hosts = hosts(i, tls);
                String error = null;
                ServerCertificate cert = null;
                if (namespaces != null && !namespaces.contains(ns)) {
                    error = "Secret " + key + " is in a namespace the gateway does not read Secrets in (chart value"
                            + " gateway.tls.secretNamespaces)";
                } else {
                    Secret s = secret(ns, tls.getSecretName());
                    if (s == null) {
                        error = "Secret " + key + " not found (type " + TLS_TYPE + ")";
                    } else {
                        used.add(key);
                        Loaded l = load(key, s);
                        error = l.error();
                        cert = l.certificate();
                    }
                }
                if (error != null) {
                    problems.add(new ServiceMapBuilder.Problem(ns, i.getMetadata().getName(),
                            i.getMetadata().getUid(), error.contains("not found") || error.contains("does not read")
                            ? SECRET_MISSING : SECRET_INVALID, error + "; hosts " + hosts
                            + " get the default certificate"));
                } else if (!hosts.isEmpty()) {
                    served.add(cert.forHosts(hosts, "secret:" + key));
                }
            }
        }
        cache.keySet().retainAll(used);
        store.useClusterCertificates(served);
        report(problems);
    }

    /** The TLS entry's hosts, else the hosts of the Ingress's rules; lower case, without duplicates. */
    private static List<String> hosts(Ingress i, IngressTLS tls) {
        Set<String> out = new LinkedHashSet<>();
        if (tls.getHosts() != null && !tls.getHosts().isEmpty()) {
            tls.getHosts().forEach(h -> out.add(h.toLowerCase(Locale.ROOT)));
        } else if (i.getSpec().getRules() != null) {
            for (IngressRule r : i.getSpec().getRules()) {
                if (r.getHost() != null && !r.getHost().isEmpty()) {
                    out.add(r.getHost().toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(out);
    }

    private Secret secret(String ns, String name) {
        for (SharedIndexInformer<Secret> inf : informers) {
            Secret s = inf.getStore().getByKey(ns + "/" + name);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private Loaded load(String key, Secret s) {
        String rv = s.getMetadata().getResourceVersion();
        Loaded have = cache.get(key);
        if (have != null && rv != null && rv.equals(have.resourceVersion())) {
            return have;
        }
        Loaded l;
        Map<String, String> data = s.getData() == null ? Map.of() : s.getData();
        if (!TLS_TYPE.equals(s.getType())) {
            l = new Loaded(rv, null, "Secret " + key + " is of type " + s.getType() + ", not " + TLS_TYPE);
        } else if (!data.containsKey("tls.crt") || !data.containsKey("tls.key")) {
            l = new Loaded(rv, null, "Secret " + key + " lacks tls.crt or tls.key");
        } else {
            try {
                ServerCertificate c = loader.load(Base64.getMimeDecoder().decode(data.get("tls.crt")),
                        Base64.getMimeDecoder().decode(data.get("tls.key")), List.of(), "secret:" + key);
                l = new Loaded(rv, c, null);
                LOG.atInfo().addKeyValue("secret", key).addKeyValue("subject", c.subject())
                        .addKeyValue("notAfter", c.notAfter()).log("certificate loaded");
            } catch (ConfigException e) {
                l = new Loaded(rv, null, "Secret " + e.getMessage()); // the message starts with secret:ns/name
            } catch (IllegalArgumentException e) {
                l = new Loaded(rv, null, "Secret " + key + ": tls.crt or tls.key is not base64");
            }
        }
        cache.put(key, l);
        return l;
    }

    private void report(List<ServiceMapBuilder.Problem> problems) {
        Set<ServiceMapBuilder.Problem> now = new HashSet<>(problems);
        for (ServiceMapBuilder.Problem p : problems) {
            if (!reported.contains(p)) {
                LOG.atWarn().addKeyValue("ingress", p.namespace() + "/" + p.ingress()).addKeyValue("reason", p.reason())
                        .addKeyValue("detail", p.message()).log("ingress TLS certificate not served");
                ClusterDiscovery.warning(client, identity, p);
            }
        }
        reported = now;
    }

    @Override
    public void close() {
        closed = true;
        informers.forEach(SharedIndexInformer::stop);
        executor.shutdownNow();
    }
}
