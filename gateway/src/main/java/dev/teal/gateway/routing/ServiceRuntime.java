package dev.teal.gateway.routing;

import dev.teal.contract.status.GuardStatus;
import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.drain.DrainTracker;
import dev.teal.gateway.upstream.ColorPool;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a service keeps across snapshots and reloads: its pools (one per color), its drains, how often it switched,
 * and the last switch a reload asked for and the gate refused. Its in-flight figure is the sum of its colors' counts.
 */
public final class ServiceRuntime {
    private final String name;
    private final DrainTracker drains;
    private final AtomicLong switches = new AtomicLong();
    private volatile ServiceConfig config;
    private volatile Map<String, ColorPool> pools;
    private volatile String servingSource = "config";
    private volatile ColorPool[] poolArray;
    private volatile RefusedSwitch refused;
    private volatile Steering steering;
    private volatile GuardStatus guard;

    ServiceRuntime(ServiceConfig config, Map<String, ColorPool> pools, DrainTracker drains) {
        this.name = config.name();
        this.config = config;
        this.steering = Steering.of(config);
        this.pools = Map.copyOf(pools);
        this.poolArray = pools.values().toArray(ColorPool[]::new);
        this.drains = drains;
    }

    public String name() {
        return name;
    }

    public ServiceConfig config() {
        return config;
    }

    /** Holds {@code c}, equal to the config held, in its place (nothing else changes). */
    void adopt(ServiceConfig c) {
        if (config != c) {
            config = c;
        }
    }

    void update(ServiceConfig c, Map<String, ColorPool> p) {
        this.steering = Steering.of(c);
        this.config = c;
        this.pools = Map.copyOf(p);
        this.poolArray = p.values().toArray(ColorPool[]::new);
    }

    /** Preview and the sticky window, or null when the service has neither (requests are routed by the snapshot). */
    public Steering steering() {
        return steering;
    }

    /** Pools by color, in no particular order; {@link #config()} has the configured order. */
    public Map<String, ColorPool> pools() {
        return pools;
    }

    /**
     * Who chose the serving color last: {@code config} (the file's {@code active}), {@code admin} (a switch call,
     * kept until the file's {@code active} changes), {@code guard} (the cutover guard's rollback, kept likewise) or
     * {@code kubernetes} (the cluster's annotation).
     */
    public String servingSource() {
        return servingSource;
    }

    void servingSource(String source) {
        this.servingSource = source;
    }

    public DrainTracker drains() {
        return drains;
    }

    public long switches() {
        return switches.get();
    }

    long countSwitch() {
        return switches.incrementAndGet();
    }

    /**
     * Counts one request on {@code color}, or answers false (counting nothing) when {@code maxInflight} is reached.
     * The color's count is the only one: it is taken first and given back when the service is over its limit, so
     * the limit is never exceeded even when several event loops race for the last slot.
     */
    public boolean tryStartRequest(ColorPool color) {
        color.requestStarted();
        int max = config.maxInflight();
        if (max > 0 && inflight() > max) {
            color.requestEnded();
            return false;
        }
        return true;
    }

    /** Requests in flight on all colors of this service (pools of colors removed by a reload no longer count). */
    public int inflight() {
        int n = 0;
        for (ColorPool p : poolArray) {
            n += p.inflight();
        }
        return n;
    }

    /** The switch a reload asked for and the gate refused, until the next reload; or null. */
    public RefusedSwitch refused() {
        return refused;
    }

    void refused(RefusedSwitch r) {
        this.refused = r;
    }

    /** The guard of the last guarded cutover (standalone), or null. */
    public GuardStatus guardStatus() {
        return guard;
    }

    /** Written by the cutover guard only. */
    public void guardStatus(GuardStatus status) {
        this.guard = status;
    }
}
