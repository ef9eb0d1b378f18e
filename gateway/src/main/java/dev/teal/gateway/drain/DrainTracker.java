package dev.teal.gateway.drain;

import dev.teal.gateway.config.Units;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drains of one service. A switch calls {@link #switched}; the tracker marks the old color draining, closes its
 * idle connections at once, and watches its in-flight count until it reaches zero or the drain timeout passes.
 * Switching back to a color that is still draining ends that drain as {@code superseded}.
 */
public final class DrainTracker {
    private static final Logger LOG = LoggerFactory.getLogger(DrainTracker.class);
    private static final long POLL_MILLIS = 5;

    private final String service;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Predicate<Endpoint>> closeIdleEverywhere;
    private final List<Drain> open = new ArrayList<>();
    private volatile Drain last;
    private ScheduledFuture<?> poller;

    public DrainTracker(String service, GatewayMetrics metrics, ScheduledExecutorService scheduler,
                        Consumer<Predicate<Endpoint>> closeIdleEverywhere) {
        this.service = service;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.closeIdleEverywhere = closeIdleEverywhere;
    }

    /** Called right after the routing snapshot that makes {@code to} serve has been published. */
    public synchronized void switched(ColorPool from, ColorPool to, Duration drainTimeout) {
        to.setDraining(false);
        for (Drain d : List.copyOf(open)) {
            if (d.pool() == to) {
                finish(d, Drain.Result.SUPERSEDED, 0);
            }
        }
        if (from == to) {
            return;
        }
        from.setDraining(true);
        closeIdleEverywhere.accept(e -> e.pool() == from);
        long now = System.nanoTime();
        Instant started = Instant.now();
        Drain d = new Drain(from, to.color(), started, started.plus(drainTimeout), now);
        open.add(d);
        LOG.atInfo().addKeyValue("service", service).addKeyValue("color", from.color())
                .addKeyValue("inflight", from.inflight()).addKeyValue("timeout", Units.format(drainTimeout))
                .log("drain started");
        check();
        if (!open.isEmpty() && poller == null) {
            poller = scheduler.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The service left the configuration: every color drains with the given timeout. */
    public synchronized void removed(List<ColorPool> pools, Duration drainTimeout) {
        long now = System.nanoTime();
        Instant started = Instant.now();
        for (ColorPool p : pools) {
            p.setDraining(true);
            closeIdleEverywhere.accept(e -> e.pool() == p);
            open.add(new Drain(p, "", started, started.plus(drainTimeout), now));
        }
        check();
        if (!open.isEmpty() && poller == null) {
            poller = scheduler.scheduleWithFixedDelay(this::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void check() {
        Instant now = Instant.now();
        for (Drain d : List.copyOf(open)) {
            if (d.inflight() == 0) {
                finish(d, Drain.Result.DRAINED, 0);
            } else if (!now.isBefore(d.deadline())) {
                int leftover = d.inflight();
                d.pool().closeAllConnections();
                finish(d, Drain.Result.DRAIN_TIMEOUT, leftover);
            }
        }
        if (open.isEmpty() && poller != null) {
            poller.cancel(false);
            poller = null;
        }
    }

    private void finish(Drain d, Drain.Result result, int closed) {
        open.remove(d);
        d.end(result, closed);
        last = d;
        long nanos = System.nanoTime() - d.startNanos();
        if (!d.to().isEmpty()) {
            metrics.cutover(service, d.color(), d.to(), result.label()).increment();
            metrics.drainTimer(service).record(nanos, TimeUnit.NANOSECONDS);
        }
        if (result == Drain.Result.DRAINED) {
            // late requests of pre-switch exchanges (retries) may have opened connections since; close idle ones
            closeIdleEverywhere.accept(e -> e.pool() == d.pool());
        }
        var log = result == Drain.Result.DRAIN_TIMEOUT ? LOG.atWarn() : LOG.atInfo();
        log.addKeyValue("service", service).addKeyValue("color", d.color()).addKeyValue("result", result.label())
                .addKeyValue("ms", TimeUnit.NANOSECONDS.toMillis(nanos)).addKeyValue("closed", closed)
                .log("drain ended");
    }

    /** The drain in progress that started last, or null. */
    public synchronized Drain current() {
        return open.isEmpty() ? null : open.get(open.size() - 1);
    }

    public synchronized List<Drain> inProgress() {
        return List.copyOf(open);
    }

    public Drain last() {
        return last;
    }
}
