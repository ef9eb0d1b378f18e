package dev.teal.gateway.drain;

import dev.teal.contract.Units;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drains of one service. The router calls {@link #switched} right after publishing the snapshot that makes a new
 * color serve; the tracker closes the old color's idle connections at once and ends the drain when the old color's
 * in-flight count reaches zero (signalled by {@link #inflightReachedZero}, not polled) or its drain timeout passes.
 * A drain never ends early: it may end as drained only after the publish barrier has completed, i.e. after a task has
 * run on every event loop, so every request routed by the old snapshot has been counted. Switching back to a color
 * that is still draining ends that drain as {@code superseded}.
 */
public final class DrainTracker {
    private static final Logger LOG = LoggerFactory.getLogger(DrainTracker.class);

    private final String service;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Consumer<Predicate<Endpoint>> closeIdleEverywhere;
    private final Consumer<ColorPool> ended;
    private final List<Drain> open = new ArrayList<>();
    private volatile Drain last;

    /**
     * @param ended told (on the scheduler) when a drain of a color ended, so the color's owner can mark it idle
     */
    public DrainTracker(String service, GatewayMetrics metrics, ScheduledExecutorService scheduler,
                        Consumer<Predicate<Endpoint>> closeIdleEverywhere, Consumer<ColorPool> ended) {
        this.service = service;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.closeIdleEverywhere = closeIdleEverywhere;
        this.ended = ended;
    }

    /**
     * Called right after the routing snapshot that makes {@code to} serve has been published.
     *
     * @param published completes once every event loop has run a task after the publication
     */
    public synchronized void switched(ColorPool from, ColorPool to, Duration drainTimeout,
                                      CompletableFuture<Void> published) {
        switched(from, to, drainTimeout, false, published);
    }

    /**
     * As {@link #switched(ColorPool, ColorPool, Duration, CompletableFuture)}; with {@code sticky} the old color's
     * sticky window opens: the drain then lasts until its deadline (requests with the old color's cookie keep coming)
     * and ends as drained if nothing is in flight then.
     */
    public synchronized void switched(ColorPool from, ColorPool to, Duration drainTimeout, boolean sticky,
                                      CompletableFuture<Void> published) {
        for (Drain d : List.copyOf(open)) {
            if (d.pool() == to) {
                finish(d, Drain.Result.SUPERSEDED, 0);
            }
        }
        if (from == to) {
            return;
        }
        start(from, to.color(), drainTimeout, sticky, published);
    }

    /** The service left the configuration: every color drains with the given timeout. */
    public synchronized void removed(List<ColorPool> pools, Duration drainTimeout, CompletableFuture<Void> published) {
        for (ColorPool p : pools) {
            start(p, "", drainTimeout, false, published);
        }
    }

    private void start(ColorPool from, String to, Duration drainTimeout, boolean sticky,
                       CompletableFuture<Void> published) {
        closeIdleEverywhere.accept(e -> e.pool() == from);
        long now = System.nanoTime();
        Instant started = Instant.now();
        Drain d = new Drain(from, to, started, started.plus(drainTimeout), now, sticky);
        open.add(d);
        if (sticky) {
            from.openStickyWindow();
        }
        if (!to.isEmpty()) {
            LOG.atInfo().addKeyValue("service", service).addKeyValue("color", from.color())
                    .addKeyValue("inflight", from.inflight()).addKeyValue("timeout", Units.format(drainTimeout))
                    .log("drain started");
        }
        d.timeout = scheduler.schedule(this::check, drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
        published.thenRunAsync(() -> {
            d.published = true;
            check();
        }, scheduler);
    }

    /** A color that does not serve has no request in flight any more; may run on an event loop. */
    public void inflightReachedZero() {
        try {
            scheduler.execute(this::check);
        } catch (RejectedExecutionException e) {
            // shutting down: nothing to end
        }
    }

    private synchronized void check() {
        long now = System.nanoTime();
        for (Drain d : List.copyOf(open)) {
            if (d.published && !d.sticky() && d.inflight() == 0) {
                finish(d, Drain.Result.DRAINED, 0);
            } else if (now - d.startNanos() >= d.timeoutNanos()) {
                // closed before the count is read: a sticky request either is counted here or goes to the new color
                d.pool().closeStickyWindow();
                if (d.published && d.inflight() == 0) {
                    finish(d, Drain.Result.DRAINED, 0);
                    continue;
                }
                int leftover = d.inflight();
                d.pool().closeAllConnections();
                finish(d, Drain.Result.DRAIN_TIMEOUT, leftover);
            }
        }
    }

    private void finish(Drain d, Drain.Result result, int closed) {
        d.pool().closeStickyWindow();
        open.remove(d);
        ScheduledFuture<?> t = d.timeout;
        if (t != null) {
            t.cancel(false);
        }
        d.end(result, closed);
        last = d;
        long nanos = System.nanoTime() - d.startNanos();
        if (!d.to().isEmpty()) {
            // the duration first: a scrape that sees the cutover counted also sees how long its drain took
            metrics.drainTimer(service).record(nanos, TimeUnit.NANOSECONDS);
            metrics.cutover(service, d.color(), d.to(), result.label()).increment();
        }
        if (result == Drain.Result.DRAINED) {
            // late requests of pre-switch exchanges (retries) may have opened connections since; close idle ones
            closeIdleEverywhere.accept(e -> e.pool() == d.pool());
        }
        if (result != Drain.Result.SUPERSEDED) {
            ended.accept(d.pool());
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
