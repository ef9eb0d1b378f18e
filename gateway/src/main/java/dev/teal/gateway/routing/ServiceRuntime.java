package dev.teal.gateway.routing;

import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.drain.DrainTracker;
import dev.teal.gateway.upstream.ColorPool;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a service keeps across snapshots and reloads: its pools (one per color), its drains, its in-flight count
 * (for {@code maxInflight}) and how often it switched.
 */
public final class ServiceRuntime {
    private final String name;
    private final DrainTracker drains;
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicLong switches = new AtomicLong();
    private volatile ServiceConfig config;
    private volatile Map<String, ColorPool> pools;
    private volatile String servingSource = "config";

    ServiceRuntime(ServiceConfig config, Map<String, ColorPool> pools, DrainTracker drains) {
        this.name = config.name();
        this.config = config;
        this.pools = Map.copyOf(pools);
        this.drains = drains;
    }

    public String name() {
        return name;
    }

    public ServiceConfig config() {
        return config;
    }

    void update(ServiceConfig c, Map<String, ColorPool> p) {
        this.config = c;
        this.pools = Map.copyOf(p);
    }

    /** Pools by color, in no particular order; {@link #config()} has the configured order. */
    public Map<String, ColorPool> pools() {
        return pools;
    }

    /**
     * Who chose the serving color last: {@code config} (the file's {@code active}), {@code admin} (a switch call,
     * kept until the file's {@code active} changes) or {@code kubernetes} (the cluster's annotation).
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

    /** Takes a slot for one request, or answers false when {@code maxInflight} is reached. */
    public boolean tryStartRequest() {
        int max = config.maxInflight();
        if (max == 0) {
            inflight.incrementAndGet();
            return true;
        }
        while (true) {
            int n = inflight.get();
            if (n >= max) {
                return false;
            }
            if (inflight.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    public void requestEnded() {
        inflight.decrementAndGet();
    }

    public int inflight() {
        return inflight.get();
    }
}
