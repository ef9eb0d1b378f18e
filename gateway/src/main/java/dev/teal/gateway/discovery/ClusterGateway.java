package dev.teal.gateway.discovery;

import dev.teal.contract.ConfigException;
import dev.teal.contract.Units;
import dev.teal.gateway.Gateway;
import dev.teal.contract.HostPort;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.config.TlsSettings;
import dev.teal.gateway.config.ReloadResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway that follows the cluster: the running {@link Gateway} (its services from the cluster), the
 * {@link ClusterDiscovery} that feeds it, and the {@link SnapshotFile} it falls back on. Ready once it has a routing
 * snapshot (from the cluster or the file), whether or not the API server can be reached.
 */
public final class ClusterGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterGateway.class);
    /** The snapshot file is rewritten at most this often, however fast the cluster changes. */
    static final Duration SNAPSHOT_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param base           listeners, timeouts and limits (services are replaced by the cluster's)
     * @param namespace      the namespace to follow, or null for all
     * @param ingressClass   the IngressClass whose Ingresses are served
     * @param publishService {@code namespace/name} whose address goes into Ingress status, or null
     * @param snapshotFile   where the last-known-good service map is kept
     * @param syncTimeout    how long start waits for the first list before it serves from the snapshot file
     * @param tlsFromIngresses serve the Secrets named in {@code spec.tls} of the Ingresses (needs the HTTPS listener:
     *                       {@code tls.listen} of {@code base}, else {@code 0.0.0.0:8443})
     * @param tlsSecretNamespaces the namespaces whose Secrets are read; null: {@code namespace} (all when that is null)
     */
    public record Settings(GatewayConfig base, String namespace, String ingressClass, String publishService,
                           Path snapshotFile, Duration syncTimeout, boolean tlsFromIngresses,
                           List<String> tlsSecretNamespaces) {

        public Settings {
            tlsSecretNamespaces = tlsSecretNamespaces == null ? null : List.copyOf(tlsSecretNamespaces);
            if (tlsFromIngresses && base.tls() == null) {
                base = base.withTls(new TlsSettings(new HostPort("0.0.0.0", 8443), null, List.of()));
            }
        }

        /** Without certificates from Ingresses. */
        public Settings(GatewayConfig base, String namespace, String ingressClass, String publishService,
                        Path snapshotFile, Duration syncTimeout) {
            this(base, namespace, ingressClass, publishService, snapshotFile, syncTimeout, false, null);
        }

        /** The namespaces whose Secrets are read; null: all. */
        public List<String> secretNamespaces() {
            if (tlsSecretNamespaces != null) {
                return tlsSecretNamespaces;
            }
            return namespace == null ? null : List.of(namespace);
        }
    }

    private final Gateway gateway;
    private final ClusterDiscovery discovery;
    private volatile IngressCertificates certificates;
    private final SnapshotWriter<ServiceMapBuilder.Result> snapshot;
    private volatile Map<String, ServiceMapBuilder.Origin> origins = Map.of();
    /** The last result the gateway took (guarded by this). */
    private ServiceMapBuilder.Result applied;

    private ClusterGateway(Gateway gateway, ClusterDiscovery discovery, SnapshotFile file) {
        this.gateway = gateway;
        this.discovery = discovery;
        this.snapshot = new SnapshotWriter<>(r -> file.save(r, Clock.systemUTC().instant()), SNAPSHOT_INTERVAL,
                file.path().toString());
    }

    /**
     * Starts the gateway on the snapshot file's services (none if there is no file), then follows the cluster. Waits
     * up to {@code syncTimeout} for the first full view of the cluster; when the API server cannot be reached it keeps
     * serving the snapshot and catches up once it can.
     */
    public static ClusterGateway start(KubernetesClient client, Settings settings) throws InterruptedException {
        return start(client, settings, new CompletableFuture<>());
    }

    /**
     * As {@link #start(KubernetesClient, Settings)}; the wait for the first sync also ends when {@code stopRequested}
     * completes (a SIGTERM during start), so the caller can stop gracefully at once.
     */
    public static ClusterGateway start(KubernetesClient client, Settings settings, CompletableFuture<?> stopRequested)
            throws InterruptedException {
        SnapshotFile file = new SnapshotFile(settings.snapshotFile());
        ServiceMapBuilder.Result saved = null;
        try {
            saved = file.load();
        } catch (ConfigException e) {
            LOG.atWarn().addKeyValue("file", settings.snapshotFile()).addKeyValue("error", e.getMessage())
                    .log("snapshot ignored");
        }
        GatewayConfig initial = saved == null ? settings.base().withServices(Map.of())
                : settings.base().withRouting(saved.services(), saved.routes());
        Gateway gateway = Gateway.start(initial, "kubernetes");
        gateway.refuseAdminSwitch();
        gateway.reloadWith(trigger -> ReloadResult.notReloadable("nothing to reload in Kubernetes mode: services"
                + " follow the cluster, and the settings file is read at start only (restart to change it)"));
        gateway.setReady(false);
        ClusterGateway[] self = new ClusterGateway[1];
        ClusterDiscovery discovery;
        try {
            discovery = new ClusterDiscovery(client, settings.namespace(), settings.ingressClass(),
                    settings.publishService(), r -> self[0].apply(r), gateway.metrics().registry());
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
        ClusterGateway cg = new ClusterGateway(gateway, discovery, file);
        self[0] = cg;
        if (saved != null) {
            cg.origins = saved.origins();
        }
        gateway.setStatusExtras(name -> {
            ServiceMapBuilder.Origin o = cg.origins.get(name);
            return o == null ? null : Map.of("kubernetes", o.toStatus());
        });
        if (settings.tlsFromIngresses()) {
            IngressCertificates ic = new IngressCertificates(client, settings.secretNamespaces(),
                    discovery::servedIngresses, gateway.certificates(), gateway.certificates().loader());
            cg.certificates = ic;
            discovery.afterRebuild(ic::changed);
            ic.start();
        }
        CompletableFuture<Void> synced = discovery.start();
        try {
            CompletableFuture.anyOf(synced, stopRequested).get(settings.syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.atWarn().addKeyValue("waited", Units.format(settings.syncTimeout()))
                    .addKeyValue("snapshot", saved == null ? "none" : settings.snapshotFile().toString())
                    .addKeyValue("services", saved == null ? 0 : saved.services().size())
                    .log("API server not reachable at start; serving the last-known-good snapshot until it is");
        }
        if (saved != null) {
            gateway.setReady(true); // readiness means "has a routing snapshot", not "API server reachable"
        }
        return cg;
    }

    private synchronized void apply(ServiceMapBuilder.Result result) {
        try {
            gateway.apply(gateway.config().withRouting(result.services(), result.routes()),
                    touched(applied, result));
        } catch (ConfigException e) {
            gateway.rejected(e);
            throw e;
        }
        applied = result;
        origins = result.origins();
        gateway.setReady(true);
        snapshot.offer(result); // written by its own thread, at most once per SNAPSHOT_INTERVAL
    }

    /**
     * The services of {@code next} that are other objects than in {@code prev}, when {@code next} has the very same
     * routes and the same service names in the same order (what an EndpointSlice change gives: see
     * {@link ClusterState}); else null (the gateway compares everything). One walk of both maps side by side,
     * identity checks only.
     */
    static List<String> touched(ServiceMapBuilder.Result prev, ServiceMapBuilder.Result next) {
        if (prev == null || prev.routes() != next.routes() || prev.services().size() != next.services().size()) {
            return null;
        }
        List<String> out = new java.util.ArrayList<>();
        java.util.Iterator<Map.Entry<String, dev.teal.gateway.config.ServiceConfig>> a =
                prev.services().entrySet().iterator();
        for (Map.Entry<String, dev.teal.gateway.config.ServiceConfig> b : next.services().entrySet()) {
            Map.Entry<String, dev.teal.gateway.config.ServiceConfig> old = a.next();
            if (!old.getKey().equals(b.getKey())) {
                return null;
            }
            if (old.getValue() != b.getValue()) {
                out.add(b.getKey());
            }
        }
        return out;
    }

    private void closeCertificates() {
        IngressCertificates ic = certificates;
        if (ic != null) {
            ic.close();
        }
    }

    public Gateway gateway() {
        return gateway;
    }

    public ClusterDiscovery discovery() {
        return discovery;
    }

    /** Graceful stop (see {@link Gateway#shutdown()}); the informers stop first so nothing changes meanwhile. */
    public void shutdown() {
        closeCertificates();
        discovery.close();
        snapshot.close();
        gateway.shutdown();
    }

    @Override
    public void close() {
        closeCertificates();
        discovery.close();
        snapshot.close();
        gateway.close();
    }
}
