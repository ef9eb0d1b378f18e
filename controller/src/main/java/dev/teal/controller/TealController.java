package dev.teal.controller;

import dev.teal.contract.Annotations;
import dev.teal.controller.cluster.ClusterClient;
import dev.teal.controller.cutover.CutoverConfirmer;
import dev.teal.controller.cutover.GatewayReplicas;
import dev.teal.controller.cutover.ReplicaProbe;
import dev.teal.controller.election.LeaderElection;
import dev.teal.controller.metrics.ControllerMetrics;
import dev.teal.controller.metrics.MetricsServer;
import dev.teal.controller.reconcile.FrontServiceReconciler;
import dev.teal.controller.reconcile.TealAnnotations;
import dev.teal.controller.reconcile.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller process: the metrics listener (always), leader election, and, while leader, informers on Services
 * and EndpointSlices that feed the {@link WorkQueue} of {@link FrontServiceReconciler}. Start with
 * {@link #start(KubernetesClient, ControllerSettings)}; {@link #close()} stops everything (the client stays open).
 */
public final class TealController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TealController.class);

    private final KubernetesClient client;
    private final ControllerSettings settings;
    private final ControllerMetrics metrics = new ControllerMetrics();
    private final ReplicaProbe probe;
    private final FrontServiceReconciler reconciler;
    private final MetricsServer metricsServer;
    private final LeaderElection election;
    private final Object lock = new Object();
    private WorkQueue queue;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<Service> services;

    private TealController(KubernetesClient client, ControllerSettings settings) {
        this.client = client;
        this.settings = settings;
        ClusterClient cluster = new ClusterClient(client, Clock.systemUTC(), settings.identity());
        this.probe = new ReplicaProbe(settings.probeTimeout());
        GatewayReplicas replicas = new GatewayReplicas(cluster, settings.gatewayNamespace(),
                settings.gatewayAdminService(), settings.gatewayAdminPort());
        this.reconciler = new FrontServiceReconciler(cluster, new CutoverConfirmer(replicas, probe), metrics,
                Clock.systemUTC());
        this.metricsServer = MetricsServer.start(settings.metricsListen(), metrics, () -> true);
        this.election = new LeaderElection(client, settings.leaseNamespace(), settings.leaseName(),
                settings.identity(), settings.election(), this::startLeading, this::stopLeading);
    }

    /** Starts the metrics listener and competes for leadership; returns at once. */
    public static TealController start(KubernetesClient client, ControllerSettings settings) {
        TealController c = new TealController(client, settings);
        LOG.atInfo().setMessage("controller starting").addKeyValue("identity", settings.identity())
                .addKeyValue("namespace", settings.namespace() == null ? "*" : settings.namespace())
                .addKeyValue("gatewayAdmin", settings.gatewayNamespace() + "/" + settings.gatewayAdminService())
                .addKeyValue("metrics", c.metricsServer.port()).log();
        c.election.start();
        return c;
    }

    public boolean isLeader() {
        return election.isLeader();
    }

    public int metricsPort() {
        return metricsServer.port();
    }

    public ControllerMetrics metrics() {
        return metrics;
    }

    private void startLeading() {
        synchronized (lock) {
            metrics.leader(true);
            queue = new WorkQueue(reconciler::reconcile, metrics);
            WorkQueue q = queue;
            long resync = settings.resync().toMillis();
            services = settings.namespace() == null
                    ? client.services().inAnyNamespace().inform(handler(s -> onService(q, s)), resync)
                    : client.services().inNamespace(settings.namespace()).inform(handler(s -> onService(q, s)), resync);
            informers.add(services);
            ResourceEventHandler<EndpointSlice> slices = handler(s -> onSlice(q, s));
            informers.add(settings.namespace() == null
                    ? client.discovery().v1().endpointSlices().inAnyNamespace().inform(slices, 0)
                    : client.discovery().v1().endpointSlices().inNamespace(settings.namespace()).inform(slices, 0));
            // a Deployment of a new color gets its per-color Service at once, not at the next resync
            ResourceEventHandler<Deployment> deployments = handler(d -> onDeployment(q, d));
            informers.add(settings.namespace() == null
                    ? client.apps().deployments().inAnyNamespace().inform(deployments, 0)
                    : client.apps().deployments().inNamespace(settings.namespace()).inform(deployments, 0));
        }
    }

    private void stopLeading() {
        synchronized (lock) {
            metrics.leader(false);
            informers.forEach(SharedIndexInformer::stop);
            informers.clear();
            services = null;
            if (queue != null) {
                queue.close();
                queue = null;
            }
        }
    }

    private static void onService(WorkQueue q, Service s) {
        Map<String, String> labels = s.getMetadata().getLabels();
        String front = labels == null ? null : labels.get(Annotations.SERVICE_FRONT_LABEL);
        if (front != null) {
            q.add(s.getMetadata().getNamespace(), front); // a per-color Service changed: check its front
        } else {
            q.add(s.getMetadata().getNamespace(), s.getMetadata().getName());
        }
    }

    private void onSlice(WorkQueue q, EndpointSlice slice) {
        SharedIndexInformer<Service> svc = services;
        Map<String, String> labels = slice.getMetadata().getLabels();
        String owner = labels == null ? null : labels.get(Annotations.SERVICE_NAME_LABEL);
        if (svc == null || owner == null) {
            return;
        }
        boolean gateway = owner.equals(settings.gatewayAdminService())
                && slice.getMetadata().getNamespace().equals(settings.gatewayNamespace());
        for (Service s : svc.getStore().list()) {
            Map<String, String> a = s.getMetadata().getAnnotations();
            if (a == null || !a.containsKey(Annotations.ACTIVE)) {
                continue;
            }
            boolean sameNs = s.getMetadata().getNamespace().equals(slice.getMetadata().getNamespace());
            if (gateway || sameNs && owner.startsWith(s.getMetadata().getName() + "-")) {
                q.add(s.getMetadata().getNamespace(), s.getMetadata().getName());
            }
        }
    }

    /** A Deployment changed: reconcile the front Services in its namespace whose selector its pod template carries. */
    private void onDeployment(WorkQueue q, Deployment d) {
        SharedIndexInformer<Service> svc = services;
        if (svc == null || d.getSpec() == null || d.getSpec().getTemplate() == null
                || d.getSpec().getTemplate().getMetadata() == null
                || d.getSpec().getTemplate().getMetadata().getLabels() == null) {
            return;
        }
        Map<String, String> podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
        for (Service s : svc.getStore().list()) {
            Map<String, String> a = s.getMetadata().getAnnotations();
            Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (a == null || !a.containsKey(Annotations.ACTIVE) || selector == null || selector.isEmpty()
                    || !s.getMetadata().getNamespace().equals(d.getMetadata().getNamespace())) {
                continue;
            }
            String colorLabel = a.getOrDefault(Annotations.COLOR_LABEL, dev.teal.contract.Defaults.COLOR_LABEL);
            boolean matches = selector.entrySet().stream().allMatch(e -> e.getKey().equals(colorLabel)
                    || e.getValue().equals(podLabels.get(e.getKey())));
            if (matches) {
                q.add(s.getMetadata().getNamespace(), s.getMetadata().getName());
            }
        }
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed.accept(obj);
            }
        };
    }

    @Override
    public void close() {
        election.close();
        stopLeading();
        metricsServer.close();
        probe.close();
        LOG.atInfo().setMessage("controller stopped").addKeyValue("identity", settings.identity()).log();
    }
}
