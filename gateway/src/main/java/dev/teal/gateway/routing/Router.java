package dev.teal.gateway.routing;

import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.config.HostPort;
import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.drain.DrainTracker;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import dev.teal.gateway.upstream.HealthChecker;
import dev.teal.gateway.upstream.LoopPools;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the current {@link RoutingSnapshot}. Switches and reloads are serialized here and each publishes a new
 * snapshot in one volatile write; readers (the event loops) never lock. After publishing, the old color starts to
 * drain; the switch does not wait for it.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final GatewayMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final LoopPools loopPools;
    private final HealthChecker health;
    private volatile RoutingSnapshot current = RoutingSnapshot.EMPTY;
    private volatile boolean switchingAllowed = true;

    public Router(GatewayMetrics metrics, ScheduledExecutorService scheduler, LoopPools loopPools, HealthChecker health) {
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.loopPools = loopPools;
        this.health = health;
    }

    /** The snapshot to route one request by; read it once per request. */
    public RoutingSnapshot current() {
        return current;
    }

    /** In Kubernetes mode the admin switch call is refused: the cluster decides the serving color. */
    public void allowAdminSwitch(boolean allowed) {
        this.switchingAllowed = allowed;
    }

    /** The admin API's switch: atomic, answers once the new snapshot is published. */
    public SwitchOutcome switchTo(String serviceName, String color, boolean force) {
        if (!switchingAllowed) {
            return new SwitchOutcome.NotAllowed("the serving color follows the cluster's teal.dev/serving annotation;"
                    + " change teal.dev/active on the Service instead");
        }
        synchronized (this) {
            ServiceRoute route = current.service(serviceName);
            if (route == null) {
                return new SwitchOutcome.UnknownService(serviceName);
            }
            ColorPool target = route.service().pools().get(color);
            if (target == null) {
                return new SwitchOutcome.UnknownColor(serviceName, color);
            }
            ColorPool from = route.serving();
            if (target != from && !force && target.usableEndpoints() == 0) {
                metrics.cutover(serviceName, from.color(), color, "refused").increment();
                return new SwitchOutcome.NoHealthyEndpoint(serviceName, color);
            }
            return publishSwitch(route, target);
        }
    }

    private SwitchOutcome.Switched publishSwitch(ServiceRoute route, ColorPool target) {
        ColorPool from = route.serving();
        ServiceRuntime svc = route.service();
        if (target == from) {
            return new SwitchOutcome.Switched(svc.name(), from.color(), target.color(), route.since(), svc.switches());
        }
        Instant now = Instant.now();
        target.setServing(true);
        target.setDraining(false);
        current = current.with(new ServiceRoute(svc, target, now)); // the switch: one volatile write
        from.setServing(false);
        long n = svc.countSwitch();
        svc.servingSource("admin");
        LOG.atInfo().addKeyValue("service", svc.name()).addKeyValue("from", from.color())
                .addKeyValue("to", target.color()).addKeyValue("switches", n).addKeyValue("source", "admin")
                .log("switched");
        svc.drains().switched(from, target, svc.config().drainTimeout());
        return new SwitchOutcome.Switched(svc.name(), from.color(), target.color(), now, n);
    }

    /**
     * Brings routing to a new configuration: services, colors and endpoints added, updated or removed in place
     * (pooled connections and health of endpoints that stay are kept); a changed {@code active} switches. The
     * configuration was validated already; this does not fail halfway for a valid one.
     *
     * @param previous the configuration applied before, or null at start
     */
    public synchronized void apply(GatewayConfig previous, GatewayConfig next) {
        RoutingSnapshot cur = current;
        List<ServiceRoute> routes = new ArrayList<>();
        List<Runnable> afterPublish = new ArrayList<>();
        for (ServiceConfig sc : next.services().values()) {
            ServiceRoute existing = cur.service(sc.name());
            ServiceRuntime rt = existing == null ? null : existing.service();
            Map<String, ColorPool> oldPools = rt == null ? Map.of() : rt.pools();
            Map<String, ColorPool> pools = new LinkedHashMap<>();
            for (Map.Entry<String, List<HostPort>> c : sc.colors().entrySet()) {
                ColorPool pool = oldPools.get(c.getKey());
                if (pool == null) {
                    pool = new ColorPool(sc.name(), c.getKey(), next.upstream(), metrics);
                }
                List<Endpoint> removed = pool.updateEndpoints(c.getValue(), next.upstream());
                for (Endpoint e : pool.endpoints()) {
                    health.watch(e, sc.healthCheck());
                }
                for (Endpoint e : removed) {
                    health.unwatch(e);
                }
                if (!removed.isEmpty()) {
                    Set<Endpoint> gone = Set.copyOf(removed);
                    afterPublish.add(() -> loopPools.closeIdleEverywhere(gone::contains));
                }
                pools.put(c.getKey(), pool);
            }
            if (rt == null) {
                rt = new ServiceRuntime(sc, pools, new DrainTracker(sc.name(), metrics, scheduler,
                        loopPools::closeIdleEverywhere));
            } else {
                rt.update(sc, pools);
            }
            ServiceConfig prevSc = previous == null ? null : previous.services().get(sc.name());
            ColorPool serving;
            Instant since;
            String configSource = switchingAllowed ? "config" : "kubernetes";
            if (existing == null) {
                rt.servingSource(configSource);
                serving = pools.get(sc.active());
                since = Instant.now();
                for (ColorPool p : pools.values()) {
                    p.setDraining(p != serving);
                }
            } else {
                ColorPool was = existing.serving();
                boolean activeChanged = prevSc == null || !prevSc.active().equals(sc.active());
                boolean servingGone = pools.get(was.color()) != was;
                if (activeChanged || servingGone) {
                    rt.servingSource(configSource);
                    serving = pools.get(sc.active());
                } else {
                    serving = was;
                }
                since = serving == was ? existing.since() : Instant.now();
                if (serving != was) {
                    ServiceRuntime svc = rt;
                    afterPublish.add(() -> {
                        was.setServing(false);
                        long n = svc.countSwitch();
                        LOG.atInfo().addKeyValue("service", sc.name()).addKeyValue("from", was.color())
                                .addKeyValue("to", serving.color()).addKeyValue("switches", n)
                                .addKeyValue("source", configSource).log("switched");
                        svc.drains().switched(was, serving, sc.drainTimeout());
                        if (serving.usableEndpoints() == 0) {
                            LOG.atWarn().addKeyValue("service", sc.name()).addKeyValue("color", serving.color())
                                    .log("serving color has no healthy endpoint; requests get 503");
                        }
                    });
                }
            }
            serving.setServing(true);
            serving.setDraining(false);
            for (Map.Entry<String, ColorPool> old : oldPools.entrySet()) {
                if (!pools.containsKey(old.getKey())) {
                    ColorPool gone = old.getValue();
                    afterPublish.add(() -> {
                        gone.setServing(false);
                        gone.setDraining(true);
                        gone.retire().forEach(health::unwatch);
                        loopPools.closeIdleEverywhere(e -> e.pool() == gone);
                    });
                }
            }
            routes.add(new ServiceRoute(rt, serving, since));
        }
        Map<String, ServiceRoute> removedServices = new HashMap<>();
        for (ServiceRoute r : cur.services()) {
            if (!next.services().containsKey(r.service().name())) {
                removedServices.put(r.service().name(), r);
            }
        }
        RouteTable table = RouteTable.compile(next.routes(), RoutingSnapshot.indexOf(routes));
        current = new RoutingSnapshot(table, routes); // services, colors and routes: one volatile write
        afterPublish.forEach(Runnable::run);
        for (ServiceRoute r : removedServices.values()) {
            List<ColorPool> pools = List.copyOf(r.service().pools().values());
            r.service().drains().removed(pools, r.service().config().drainTimeout());
            for (ColorPool p : pools) {
                p.setServing(false);
                p.retire().forEach(health::unwatch);
            }
            LOG.atInfo().addKeyValue("service", r.service().name()).log("service removed; draining");
        }
    }
}
