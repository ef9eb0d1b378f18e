package dev.teal.gateway.upstream;

import dev.teal.contract.HostPort;
import dev.teal.contract.Units;
import dev.teal.contract.guard.Guard;
import dev.teal.gateway.guard.GuardWindow;
import dev.teal.gateway.config.UpstreamSettings;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.metrics.TealMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One color of one service: its endpoints, its in-flight count, its meters, and every upstream connection it has
 * open (so a drain timeout can close what is left). Lives as long as the color exists in the configuration; a
 * reload updates its endpoints in place so health, counters and pooled connections survive.
 */
public final class ColorPool {
    private static final Logger LOG = LoggerFactory.getLogger(ColorPool.class);
    private static final Endpoint[] NONE = new Endpoint[0];

    private final String service;
    private final String color;
    private final GatewayMetrics metrics;
    private volatile UpstreamSettings settings;
    private volatile Endpoint[] endpoints = NONE;
    private final AtomicInteger inflight = new AtomicInteger();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicReference<ColorState> state = new AtomicReference<>(ColorState.IDLE);
    private volatile boolean unreachable;
    private volatile GuardWindow window;
    private volatile Runnable whenIdle = () -> { };
    // created at a status class's or error kind's first use: a series that never moved costs no scrape bytes
    private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(5);
    private final AtomicReferenceArray<Counter> errors = new AtomicReferenceArray<>(UpstreamErrorKind.values().length);
    private boolean retired;
    private final AtomicReferenceArray<Counter> previews = new AtomicReferenceArray<>(5);
    private volatile Counter sticky;
    private volatile boolean stickyOpen;
    private final java.util.concurrent.atomic.LongAdder stickyRequests = new java.util.concurrent.atomic.LongAdder();
    private final List<Meter> meters = new ArrayList<>();
    private final Map<Endpoint, Meter> healthGauges = new HashMap<>();

    public ColorPool(String service, String color, UpstreamSettings settings, GatewayMetrics metrics) {
        this.service = service;
        this.color = color;
        this.settings = settings;
        this.metrics = metrics;
        Tags tags = Tags.of("service", service, "color", color);
        meters.add(metrics.gauge(TealMeters.INFLIGHT, TealMeters.INFLIGHT_HELP, tags, inflight, AtomicInteger::get));
        meters.add(metrics.gauge(TealMeters.SERVING, TealMeters.SERVING_HELP, tags, this, p -> p.isServing() ? 1 : 0));
        if (metrics.settings().connectionSeries()) {
            meters.add(metrics.gauge(TealMeters.UPSTREAM_CONNECTIONS, TealMeters.UPSTREAM_CONNECTIONS_HELP,
                    tags.and("state", "active"), this, p -> p.connections(true)));
            meters.add(metrics.gauge(TealMeters.UPSTREAM_CONNECTIONS, TealMeters.UPSTREAM_CONNECTIONS_HELP,
                    tags.and("state", "idle"), this, p -> p.connections(false)));
        }
    }

    public String service() {
        return service;
    }

    public String color() {
        return color;
    }

    UpstreamSettings settings() {
        return settings;
    }

    public Endpoint[] endpoints() {
        return endpoints;
    }

    /**
     * Requests of this color in flight: the one in-flight count of the gateway. Per-service figures are sums of
     * their colors'; a drain ends when its color's count reaches zero.
     */
    public int inflight() {
        return inflight.get();
    }

    /** Counts a request routed to this color; called on the event loop that read the routing snapshot. */
    public void requestStarted() {
        inflight.incrementAndGet();
    }

    /** A request of this color ended; the count reaching zero on a color that does not serve wakes its drain. */
    public void requestEnded() {
        if (inflight.decrementAndGet() == 0 && state.get() != ColorState.SERVING) {
            whenIdle.run();
        }
    }

    /** What to run (quickly, on any thread) when the in-flight count of a non-serving color reaches zero. */
    public void whenIdle(Runnable action) {
        this.whenIdle = action;
    }

    /** The one state of this color; written only by the {@code Router}. */
    public ColorState state() {
        return state.get();
    }

    public void setState(ColorState value) {
        state.set(value);
    }

    /** A drain of this color ended: draining becomes idle, unless a switch made it serve again meanwhile. */
    public void drainEnded() {
        state.compareAndSet(ColorState.DRAINING, ColorState.IDLE);
    }

    /** True while this color is the one that serves its service (the {@code teal_serving_color} gauge). */
    public boolean isServing() {
        return state.get() == ColorState.SERVING;
    }

    /**
     * Whether a finished request's connection may be pooled: not while the color drains (a drain closes what it
     * leaves), unless its sticky window is open (requests still come; the drain's end closes the idle ones). An idle
     * color is reached only by previews: their connections are pooled, and closed by {@code timeouts.upstreamIdle}.
     */
    public boolean keepsConnections() {
        return state.get() != ColorState.DRAINING || stickyOpen;
    }

    /**
     * True after a connect probe found no endpoint of this color accepting a connection (a forced switch onto a dead
     * color): requests are answered 503 at once instead of trying each endpoint, until a probe succeeds again.
     */
    public boolean isUnreachable() {
        return unreachable;
    }

    public void markUnreachable(boolean value) {
        unreachable = value;
    }

    /**
     * Keeps a guard window for this color when its service has a guard (a new one when the window length changes),
     * none otherwise; the Router calls it on every configuration it applies.
     */
    public void guard(Guard guard) {
        GuardWindow w = window;
        if (guard == null) {
            window = null;
        } else if (w == null || w.seconds() != guard.windowSeconds()) {
            window = new GuardWindow(guard.windowSeconds());
        }
    }

    /** Its guard window (if any) forgets what came before: the color starts serving. */
    public void restartWindow() {
        GuardWindow w = window;
        if (w != null) {
            w.restart();
        }
    }

    /** The guard window of this color, or null when its service has no guard. */
    public GuardWindow window() {
        return window;
    }

    public void track(Channel upstream) {
        channels.add(upstream);
    }

    /** Closes every upstream connection of this color (drain timeout, removal); answers how many were open. */
    public int closeAllConnections() {
        int n = channels.size();
        channels.close();
        return n;
    }

    public int openConnections() {
        return channels.size();
    }

    public void recordRequest(int status, long nanos) {
        GuardWindow w = window;
        if (w != null) {
            w.record(status, nanos);
        }
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            Timer t = timers.get(cls - 1);
            if (t == null) {
                t = firstTimer(cls);
            }
            if (t != null) {
                t.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Counts a previewed request's answer in {@code teal_preview_requests_total}, never in
     * {@code teal_requests_seconds}: a preview does not move the color's own signals.
     */
    public void recordPreview(int status) {
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            Counter c = previews.get(cls - 1);
            if (c == null) {
                c = firstPreview(cls);
            }
            if (c != null) {
                c.increment();
            }
        }
    }

    /** Opens this color's sticky window (its drain started on a sticky service). */
    public void openStickyWindow() {
        stickyRequests.reset();
        stickyOpen = true;
    }

    /** Closes the sticky window: from now on no request with this color's cookie is sent here. */
    public void closeStickyWindow() {
        stickyOpen = false;
    }

    public boolean isStickyOpen() {
        return stickyOpen;
    }

    /** Counts a request the sticky window sent here ({@code teal_sticky_requests_total}). */
    public void countSticky() {
        stickyRequests.increment();
        Counter c = sticky;
        if (c == null) {
            c = firstSticky();
        }
        if (c != null) {
            c.increment();
        }
    }

    /** Requests the sticky window sent here since it last opened. */
    public long stickyRequests() {
        return stickyRequests.sum();
    }

    private synchronized Counter firstPreview(int cls) {
        Counter c = previews.get(cls - 1);
        if (c == null && !retired) {
            c = metrics.counter(TealMeters.PREVIEW_REQUESTS, TealMeters.PREVIEW_REQUESTS_HELP,
                    Tags.of("service", service, "color", color, "status", cls + "xx"));
            meters.add(c);
            previews.set(cls - 1, c);
        }
        return c;
    }

    private synchronized Counter firstSticky() {
        Counter c = sticky;
        if (c == null && !retired) {
            c = metrics.counter(TealMeters.STICKY_REQUESTS, TealMeters.STICKY_REQUESTS_HELP,
                    Tags.of("service", service, "color", color));
            meters.add(c);
            sticky = c;
        }
        return c;
    }

    void countError(UpstreamErrorKind kind) {
        Counter c = errors.get(kind.ordinal());
        if (c == null) {
            c = firstError(kind);
        }
        if (c != null) {
            c.increment();
        }
    }

    /** Registers the timer of a status class at its first request; null once the color is retired. */
    private synchronized Timer firstTimer(int cls) {
        Timer t = timers.get(cls - 1);
        if (t == null && !retired) {
            t = metrics.requestTimer(service, color, cls + "xx");
            meters.add(t);
            timers.set(cls - 1, t);
        }
        return t;
    }

    private synchronized Counter firstError(UpstreamErrorKind kind) {
        Counter c = errors.get(kind.ordinal());
        if (c == null && !retired) {
            c = metrics.upstreamError(service, color, kind.label());
            meters.add(c);
            errors.set(kind.ordinal(), c);
        }
        return c;
    }

    double connections(boolean active) {
        long sum = 0;
        for (Endpoint e : endpoints) {
            sum += active ? e.activeConnections().get() : e.idleConnections().get();
        }
        return sum;
    }

    /** Endpoints that can take a request now. */
    public int usableEndpoints() {
        long now = System.nanoTime();
        int n = 0;
        for (Endpoint e : endpoints) {
            if (e.isUsable(now)) {
                n++;
            }
        }
        return n;
    }

    /** The endpoint of this color at that address, or null. */
    public Endpoint endpoint(HostPort address) {
        for (Endpoint e : endpoints) {
            if (e.address().equals(address)) {
                return e;
            }
        }
        return null;
    }

    boolean mayEject() {
        Endpoint[] eps = endpoints;
        int ejected = 0;
        for (Endpoint e : eps) {
            if (e.isEjected()) {
                ejected++;
            }
        }
        return (ejected + 1) * 100 <= settings.maxEjectedPercent() * eps.length;
    }

    void logEjection(Endpoint e, int failures) {
        LOG.atWarn().addKeyValue("service", service).addKeyValue("color", color)
                .addKeyValue("endpoint", e.address()).addKeyValue("failures", failures)
                .addKeyValue("for", Units.format(settings.ejectionTime())).log("endpoint ejected");
    }

    /**
     * Power of two choices: two random usable endpoints, the one with fewer requests in flight wins. Skips
     * {@code exclude} (the endpoint that just failed) unless it is the only one. Returns null when none is usable.
     */
    public Endpoint pick(Endpoint exclude) {
        Endpoint[] eps = endpoints;
        int n = eps.length;
        if (n == 0 || unreachable) {
            return null;
        }
        long now = System.nanoTime();
        if (n == 1) {
            return eps[0].isUsable(now) && eps[0] != exclude ? eps[0] : null;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int i = rnd.nextInt(n);
        int j = rnd.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Endpoint a = eps[i];
        Endpoint b = eps[j];
        boolean aOk = a != exclude && a.isUsable(now);
        boolean bOk = b != exclude && b.isUsable(now);
        if (aOk && bOk) {
            return a.inflight() <= b.inflight() ? a : b;
        }
        if (aOk) {
            return a;
        }
        if (bOk) {
            return b;
        }
        for (int k = 0; k < n; k++) {
            Endpoint e = eps[(i + k) % n];
            if (e != exclude && e.isUsable(now)) {
                return e;
            }
        }
        return null;
    }

    /**
     * Replaces the endpoint list, keeping the {@link Endpoint} objects (health, counters, pooled connections) of
     * addresses that stay. Runs off the event loops: name resolution may block. Answers the endpoints removed.
     */
    public synchronized List<Endpoint> updateEndpoints(List<HostPort> addresses, UpstreamSettings newSettings) {
        this.settings = newSettings;
        Map<HostPort, Endpoint> old = new HashMap<>();
        for (Endpoint e : endpoints) {
            old.put(e.address(), e);
        }
        List<Endpoint> next = new ArrayList<>(addresses.size());
        for (HostPort a : addresses) {
            Endpoint keep = old.remove(a);
            if (keep == null) {
                keep = new Endpoint(a, new InetSocketAddress(a.host(), a.port()), this);
                Endpoint e = keep;
                if (metrics.settings().endpointSeries()) {
                    healthGauges.put(e, metrics.gauge(TealMeters.UPSTREAM_HEALTH, TealMeters.UPSTREAM_HEALTH_HELP,
                            Tags.of("service", service, "color", color, "endpoint", a.toString()),
                            () -> e.isUsable(System.nanoTime()) ? 1 : 0));
                }
            }
            next.add(keep);
        }
        endpoints = next.toArray(NONE);
        List<Endpoint> removed = new ArrayList<>(old.values());
        for (Endpoint e : removed) {
            e.retire();
            Meter m = healthGauges.remove(e);
            if (m != null) {
                metrics.remove(m);
            }
        }
        return removed;
    }

    /** The color left the configuration: retire everything and drop its meters. */
    public synchronized List<Endpoint> retire() {
        List<Endpoint> all = updateEndpoints(List.of(), settings);
        retired = true;
        meters.forEach(metrics::remove);
        meters.clear();
        return all;
    }

    @Override
    public String toString() {
        return service + "/" + color;
    }
}
