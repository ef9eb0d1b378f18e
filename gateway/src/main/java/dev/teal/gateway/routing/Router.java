package dev.teal.gateway.routing;

import dev.teal.contract.BackendProtocol;
import dev.teal.contract.HostPort;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.drain.DrainTracker;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.ColorState;
import dev.teal.gateway.upstream.Endpoint;
import dev.teal.gateway.upstream.HealthChecker;
import dev.teal.gateway.upstream.LoopPools;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the current {@link RoutingSnapshot} and the state of every color. Admin switches and reloads both end in
 * {@link #publish}: the target color becomes {@code SERVING}, the new snapshot is written in one volatile write, the
 * old color becomes {@code DRAINING} and its drain starts; readers (the event loops) never lock. Before a switch is
 * published it passes the switch gate (the target's health checks, or with none configured a TCP connect to each of
 * its endpoints) and the target's connections are warmed up on every event loop; a forced switch skips both.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** The longest a switch waits for the gate's connect probe, whatever the connect timeout. */
    static final Duration PROBE_BOUND = Duration.ofSeconds(1);
    /** The longest a switch waits for the target's connections to open before publishing anyway. */
    static final Duration WARM_BOUND = Duration.ofMillis(100);
    /** The most connections a warm-up opens on one event loop. */
    static final int WARM_CAP_PER_LOOP = 64;
    private static final long REPROBE_MILLIS = 1000;

    private final GatewayMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final LoopPools loopPools;
    private final HealthChecker health;
    private volatile RoutingSnapshot current = RoutingSnapshot.EMPTY;
    private volatile boolean switchingAllowed = true;
    private volatile Duration connectTimeout = PROBE_BOUND;
    private volatile SwitchListener switchListener = (service, from, to, source) -> { };

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

    /**
     * In Kubernetes mode the admin switch call is refused: the cluster decides the serving color. Reloads are then
     * not gated either (the controller's {@code min-ready} gate decided before the cluster changed).
     */
    public void allowAdminSwitch(boolean allowed) {
        this.switchingAllowed = allowed;
    }

    /** The admin API's switch, waiting for its outcome; never call it on an event loop. */
    public SwitchOutcome switchTo(String serviceName, String color, boolean force) {
        return switchAsync(serviceName, color, force).join();
    }

    /**
     * The admin API's switch: gate, warm-up, then publish. Completes once the new snapshot is published (every request
     * that starts from then on goes to the new color), or with the reason it was refused. Never blocks the caller.
     */
    public CompletableFuture<SwitchOutcome> switchAsync(String serviceName, String color, boolean force) {
        return switchAsync(serviceName, color, force, "admin");
    }

    /**
     * Tells {@code listener} about every switch once it is published (on the thread that published it; it must be
     * quick). One listener: the cutover guard.
     */
    public void onSwitch(SwitchListener listener) {
        this.switchListener = listener;
    }

    /** Told about each published switch of a service. */
    @FunctionalInterface
    public interface SwitchListener {
        /** @param source who switched: {@code config}, {@code admin}, {@code guard} or {@code kubernetes} */
        void switched(ServiceRuntime service, String from, String to, String source);
    }

    /**
     * The guard's rollback: the same gate, warm-up and publication as an admin switch, recorded with source
     * {@code guard}; a no-op answer when {@code expectedServing} no longer serves (another switch came first).
     */
    public CompletableFuture<SwitchOutcome> rollBack(String serviceName, String expectedServing, String to) {
        ServiceRoute route = current.service(serviceName);
        if (route == null || !route.serving().color().equals(expectedServing)) {
            return CompletableFuture.completedFuture(route == null ? new SwitchOutcome.UnknownService(serviceName)
                    : new SwitchOutcome.Switched(serviceName, route.serving().color(), route.serving().color(),
                    route.since(), route.service().switches()));
        }
        return switchAsync(serviceName, to, false, "guard");
    }

    private CompletableFuture<SwitchOutcome> switchAsync(String serviceName, String color, boolean force,
                                                         String source) {
        if (!switchingAllowed) {
            return CompletableFuture.completedFuture(new SwitchOutcome.NotAllowed(
                    "the serving color follows the cluster's teal.dev/serving annotation;"
                            + " change teal.dev/active on the Service instead"));
        }
        ServiceRoute route = current.service(serviceName);
        if (route == null) {
            return CompletableFuture.completedFuture(new SwitchOutcome.UnknownService(serviceName));
        }
        ColorPool target = route.service().pools().get(color);
        if (target == null) {
            return CompletableFuture.completedFuture(new SwitchOutcome.UnknownColor(serviceName, color));
        }
        ColorPool from = route.serving();
        if (target == from) {
            return CompletableFuture.completedFuture(publishSwitch(serviceName, color, false, source));
        }
        List<HostPort> addresses = new ArrayList<>();
        for (Endpoint e : target.endpoints()) {
            addresses.add(e.address());
        }
        ServiceConfig sc = route.service().config();
        return gate(sc, color, addresses, target).thenCompose(reason -> {
            if (reason != null && !force) {
                metrics.cutover(serviceName, from.color(), color, "refused").increment();
                LOG.atWarn().addKeyValue("service", serviceName).addKeyValue("to", color).addKeyValue("reason", reason)
                        .addKeyValue("source", source).log("switch refused");
                return CompletableFuture.completedFuture(new SwitchOutcome.NoHealthyEndpoint(serviceName, color, reason));
            }
            boolean unreachable = reason != null && sc.healthCheck() == null;
            // h2c services multiplex on few connections, opened on the first request; warm-up opens HTTP/1.1 ones
            CompletableFuture<Void> warm = force || reason != null || sc.protocol() == BackendProtocol.H2C
                    ? CompletableFuture.completedFuture(null)
                    : loopPools.warm(from, target.endpoints(), WARM_CAP_PER_LOOP, WARM_BOUND);
            return warm.thenApplyAsync(v -> publishSwitch(serviceName, color, unreachable, source), scheduler);
        });
    }

    private synchronized SwitchOutcome publishSwitch(String serviceName, String color, boolean unreachable,
                                                     String source) {
        ServiceRoute route = current.service(serviceName);
        if (route == null) {
            return new SwitchOutcome.UnknownService(serviceName);
        }
        ServiceRuntime svc = route.service();
        ColorPool target = svc.pools().get(color);
        if (target == null) {
            return new SwitchOutcome.UnknownColor(serviceName, color);
        }
        ColorPool from = route.serving();
        if (target == from) {
            return new SwitchOutcome.Switched(svc.name(), from.color(), target.color(), route.since(), svc.switches());
        }
        markUnreachable(target, unreachable);
        Instant now = Instant.now();
        publish(current.with(new ServiceRoute(svc, target, now)), List.of(new Change(svc, from, target, source)),
                List.of(), List.of());
        return new SwitchOutcome.Switched(svc.name(), from.color(), target.color(), now, svc.switches());
    }

    /** More touched services than this and {@link #apply(GatewayConfig, GatewayConfig, Collection)} visits all. */
    static final int TOUCHED_AT_MOST = 256;

    /** One switch of one service, as {@link #publish} carries it out. */
    private record Change(ServiceRuntime service, ColorPool from, ColorPool to, String source) {
    }

    /**
     * The one way routing changes: the targets serve, the snapshot is published, the old colors drain. A drain may end
     * only once every event loop has run a task after the publication (so every request routed by the old snapshot
     * has been counted on its color).
     */
    private void publish(RoutingSnapshot next, List<Change> changes, List<Runnable> afterPublish,
                         List<ServiceRoute> removedServices) {
        for (Change c : changes) {
            c.to().setState(ColorState.SERVING);
            c.to().restartWindow(); // a guarded color is judged on what it answers from now on
        }
        current = next; // the switch: one volatile write
        CompletableFuture<Void> published = loopPools.barrier();
        for (Change c : changes) {
            ServiceRuntime svc = c.service();
            c.from().setState(ColorState.DRAINING);
            long n = svc.countSwitch();
            svc.servingSource(c.source());
            LOG.atInfo().addKeyValue("service", svc.name()).addKeyValue("from", c.from().color())
                    .addKeyValue("to", c.to().color()).addKeyValue("switches", n).addKeyValue("source", c.source())
                    .log("switched");
            svc.drains().switched(c.from(), c.to(), svc.config().drainTimeout(), svc.config().sticky(), published);
            switchListener.switched(svc, c.from().color(), c.to().color(), c.source());
            if (c.to().usableEndpoints() == 0) {
                LOG.atWarn().addKeyValue("service", svc.name()).addKeyValue("color", c.to().color())
                        .log("serving color has no usable endpoint; requests get 503");
            }
        }
        afterPublish.forEach(Runnable::run);
        for (ServiceRoute r : removedServices) {
            List<ColorPool> pools = List.copyOf(r.service().pools().values());
            for (ColorPool p : pools) {
                p.setState(ColorState.DRAINING);
            }
            r.service().drains().removed(pools, r.service().config().drainTimeout(), published);
            for (ColorPool p : pools) {
                p.retire().forEach(health::unwatch);
            }
            LOG.atInfo().addKeyValue("service", r.service().name()).log("service removed; draining");
        }
    }

    /**
     * The switch gate: null when the color may serve, else the one-line reason. With a health check configured its
     * current state decides (an address without a check result yet counts as healthy); without one, a TCP connect to
     * each endpoint in parallel, bounded by the connect timeout and {@link #PROBE_BOUND}.
     */
    private CompletableFuture<String> gate(ServiceConfig sc, String color, List<HostPort> addresses, ColorPool pool) {
        if (addresses.isEmpty()) {
            return CompletableFuture.completedFuture("color " + color + " has no endpoint");
        }
        long now = System.nanoTime();
        List<InetSocketAddress> candidates = new ArrayList<>();
        int usable = 0;
        for (HostPort a : addresses) {
            Endpoint e = pool == null ? null : pool.endpoint(a);
            if (e == null || e.isUsable(now)) {
                usable++;
                candidates.add(e == null ? new InetSocketAddress(a.host(), a.port()) : e.socketAddress());
            }
        }
        if (sc.healthCheck() != null) {
            return CompletableFuture.completedFuture(usable > 0 ? null : "no endpoint of " + color + " is healthy");
        }
        if (candidates.isEmpty()) {
            return CompletableFuture.completedFuture("every endpoint of " + color + " is ejected");
        }
        Duration bound = connectTimeout.compareTo(PROBE_BOUND) < 0 ? connectTimeout : PROBE_BOUND;
        return loopPools.anyAccepts(candidates, bound)
                .thenApply(ok -> ok ? null : "no endpoint of " + color + " accepted a connection");
    }

    /** A color serving although no endpoint accepted a connection: 503 at once, re-probed every second. */
    private void markUnreachable(ColorPool pool, boolean value) {
        pool.markUnreachable(value);
        if (value) {
            scheduler.schedule(() -> reprobe(pool), REPROBE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void reprobe(ColorPool pool) {
        if (!pool.isUnreachable()) {
            return;
        }
        if (!pool.isServing()) {
            pool.markUnreachable(false); // a switch back onto it will be gated again
            return;
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Endpoint e : pool.endpoints()) {
            addresses.add(e.socketAddress());
        }
        Duration bound = connectTimeout.compareTo(PROBE_BOUND) < 0 ? connectTimeout : PROBE_BOUND;
        loopPools.anyAccepts(addresses, bound).thenAccept(ok -> {
            if (ok) {
                pool.markUnreachable(false);
                LOG.atInfo().addKeyValue("service", pool.service()).addKeyValue("color", pool.color())
                        .log("an endpoint accepts connections again");
            } else if (!scheduler.isShutdown()) {
                scheduler.schedule(() -> reprobe(pool), REPROBE_MILLIS, TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * Brings routing to a new configuration: services, colors and endpoints added, updated or removed in place
     * (pooled connections and health of endpoints that stay are kept); a changed {@code active} switches, through the
     * same gate as an admin switch (a refused switch keeps the running color and shows in {@code /status} until the
     * next reload). The configuration was validated already; this does not fail halfway for a valid one. Blocks for
     * the gate (about a second at most): never call it on an event loop.
     *
     * @param previous the configuration applied before, or null at start
     */
    public void apply(GatewayConfig previous, GatewayConfig next) {
        apply(previous, next, null);
    }

    /**
     * As {@link #apply(GatewayConfig, GatewayConfig)}; with {@code touched} (not null) only the services it names may
     * differ from {@code previous} (same names, same routes, same settings otherwise): only they are visited, and the
     * running snapshot's numbering and compiled table are kept.
     */
    public void apply(GatewayConfig previous, GatewayConfig next, java.util.Collection<String> touched) {
        connectTimeout = next.timeouts().connect();
        if (touched != null && (previous == null || previous.routes() != next.routes()
                || previous.services().size() != next.services().size() || touched.size() > TOUCHED_AT_MOST)) {
            touched = null; // not what the caller said, or most of it changed: the whole way
        }
        Collection<ServiceConfig> visit = next.services(touched);
        Map<String, String> refusals = switchingAllowed ? gateReload(previous, visit) : Map.of();
        if (touched == null) {
            applyGated(previous, next, refusals);
        } else {
            applyTouched(previous, next, visit, refusals);
        }
    }

    /** The reasons, by service, why the switches this reload asks for may not happen. */
    private Map<String, String> gateReload(GatewayConfig previous, Collection<ServiceConfig> next) {
        RoutingSnapshot cur = current;
        Map<String, CompletableFuture<String>> gates = new LinkedHashMap<>();
        for (ServiceConfig sc : next) {
            ServiceRoute existing = cur.service(sc.name());
            if (existing == null || existing.serving().color().equals(sc.active())
                    || !sc.colors().containsKey(existing.serving().color())) {
                continue; // a new service, no switch, or the serving color is gone (it must switch)
            }
            if (!wantsSwitch(previous, sc, existing.service())) {
                continue;
            }
            gates.put(sc.name(), gate(sc, sc.active(), sc.colors().get(sc.active()),
                    existing.service().pools().get(sc.active())));
        }
        Map<String, String> refusals = new HashMap<>();
        gates.forEach((name, g) -> {
            String reason = g.join();
            if (reason != null) {
                refusals.put(name, reason);
            }
        });
        return refusals;
    }

    /** A reload switches when {@code active} changed, or when it asks again for a switch refused before. */
    private static boolean wantsSwitch(GatewayConfig previous, ServiceConfig sc, ServiceRuntime rt) {
        ServiceConfig prevSc = previous == null ? null : previous.services().get(sc.name());
        return prevSc == null || !prevSc.active().equals(sc.active()) || rt.refused() != null;
    }

    private synchronized void applyGated(GatewayConfig previous, GatewayConfig next, Map<String, String> refusals) {
        RoutingSnapshot cur = current;
        List<ServiceRoute> routes = new ArrayList<>();
        List<Runnable> afterPublish = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        boolean sameUpstream = previous != null && previous.upstream().equals(next.upstream());
        for (ServiceConfig sc : next.services().values()) {
            routes.add(applyOne(sc, cur.service(sc.name()), previous, next, refusals, sameUpstream, afterPublish,
                    changes));
        }
        List<ServiceRoute> removedServices = new ArrayList<>();
        for (ServiceRoute r : cur.services()) {
            if (!next.services().containsKey(r.service().name())) {
                removedServices.add(r);
            }
        }
        Map<String, Integer> index = RoutingSnapshot.indexOf(routes);
        RouteTable table = previous != null && next.routes().equals(previous.routes()) && index.equals(cur.index())
                ? cur.table() : RouteTable.compile(next.routes(), index);
        // one volatile write
        publish(new RoutingSnapshot(table, routes, index), changes, afterPublish, removedServices);
    }

    /**
     * {@code touched} services only: the others keep their routes, and the snapshot keeps its numbering and table.
     */
    private synchronized void applyTouched(GatewayConfig previous, GatewayConfig next,
                                           Collection<ServiceConfig> touched, Map<String, String> refusals) {
        RoutingSnapshot cur = current;
        List<Runnable> afterPublish = new ArrayList<>();
        List<Change> changes = new ArrayList<>();
        boolean sameUpstream = previous.upstream().equals(next.upstream());
        RoutingSnapshot snapshot = cur;
        for (ServiceConfig sc : touched) {
            ServiceRoute existing = cur.service(sc.name());
            if (existing == null) {
                applyGated(previous, next, refusals); // a new name after all: the whole way
                return;
            }
            ServiceRoute route = applyOne(sc, existing, previous, next, refusals, sameUpstream, afterPublish,
                    changes);
            if (route != existing) {
                snapshot = snapshot.with(route);
            }
        }
        publish(snapshot, changes, afterPublish, List.of());
    }

    /** One service brought to {@code sc}: its route, the existing one itself when nothing changed. */
    private ServiceRoute applyOne(ServiceConfig sc, ServiceRoute existing, GatewayConfig previous, GatewayConfig next,
                                  Map<String, String> refusals, boolean sameUpstream, List<Runnable> afterPublish,
                                  List<Change> changes) {
        ServiceRuntime rt = existing == null ? null : existing.service();
        if (rt != null && sameUpstream && unchanged(rt, sc) && !refusals.containsKey(sc.name())) {
            rt.adopt(sc); // an equal object: the next apply finds it by identity
            return existing; // nothing to do: same endpoints, same serving color, same settings
        }
        Map<String, ColorPool> oldPools = rt == null ? Map.of() : rt.pools();
        Map<String, ColorPool> pools = new LinkedHashMap<>();
        for (Map.Entry<String, List<HostPort>> c : sc.colors().entrySet()) {
            ColorPool pool = oldPools.get(c.getKey());
            if (pool == null) {
                pool = new ColorPool(sc.name(), c.getKey(), next.upstream(), metrics);
            }
            pool.guard(sc.guard());
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
                    loopPools::closeIdleEverywhere, ColorPool::drainEnded));
        } else {
            rt.update(sc, pools);
        }
        for (ColorPool p : pools.values()) {
            p.whenIdle(rt.drains()::inflightReachedZero);
        }
        ColorPool serving;
        Instant since;
        String configSource = switchingAllowed ? "config" : "kubernetes";
        if (existing == null) {
            rt.servingSource(configSource);
            serving = pools.get(sc.active());
            since = Instant.now();
            serving.setState(ColorState.SERVING);
        } else {
            ColorPool was = existing.serving();
            boolean servingGone = pools.get(was.color()) != was;
            String refusal = refusals.get(sc.name());
            if (servingGone || (refusal == null && wantsSwitch(previous, sc, rt))) {
                rt.servingSource(configSource);
                serving = pools.get(sc.active());
                rt.refused(null);
            } else {
                serving = was;
                if (refusal != null) {
                    rt.refused(new RefusedSwitch(sc.active(), refusal, Instant.now()));
                    metrics.cutover(sc.name(), was.color(), sc.active(), "refused").increment();
                    LOG.atWarn().addKeyValue("service", sc.name()).addKeyValue("serving", was.color())
                            .addKeyValue("to", sc.active()).addKeyValue("reason", refusal)
                            .addKeyValue("source", "config").log("switch refused; the running color keeps serving");
                } else if (was.color().equals(sc.active())) {
                    rt.refused(null);
                }
            }
            since = serving == was ? existing.since() : Instant.now();
            if (serving != was) {
                serving.markUnreachable(false);
                if (!servingGone && sc.protocol() != BackendProtocol.H2C) {
                    loopPools.warm(was, serving.endpoints(), WARM_CAP_PER_LOOP, WARM_BOUND).join();
                }
                changes.add(new Change(rt, was, serving, configSource));
            }
        }
        for (Map.Entry<String, ColorPool> old : oldPools.entrySet()) {
            if (!pools.containsKey(old.getKey())) {
                ColorPool gone = old.getValue();
                afterPublish.add(() -> {
                    gone.setState(ColorState.DRAINING);
                    gone.retire().forEach(health::unwatch);
                    loopPools.closeIdleEverywhere(e -> e.pool() == gone);
                });
            }
        }
        return new ServiceRoute(rt, serving, since);
    }

    /**
     * Whether applying {@code sc} to a running service would change nothing: the same config (Kubernetes mode hands
     * the very same object for a service no change touched; a file reload an equal one) and no refused switch to ask
     * for again. Costs an identity check, or an equals when the objects differ.
     */
    private static boolean unchanged(ServiceRuntime rt, ServiceConfig sc) {
        ServiceConfig running = rt.config();
        return (running == sc || running.equals(sc)) && rt.refused() == null;
    }
}
