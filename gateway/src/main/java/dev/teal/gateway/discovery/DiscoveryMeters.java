package dev.teal.gateway.discovery;

import dev.teal.gateway.metrics.TealMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far discovery is behind the cluster: changes received and not yet taken up, how long the first of them waited,
 * and how long each rebuild-and-apply took. Informer threads call {@link #changeQueued}; the discovery thread brackets
 * each rebuild with {@link #applyStarted} and {@link #applyEnded}. Lock-free and allocation-free.
 */
final class DiscoveryMeters {
    private static final long NONE = Long.MIN_VALUE;

    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong firstPendingNanos = new AtomicLong(NONE);
    private final Counter changes;
    private final Timer queue;
    private final Timer apply;

    DiscoveryMeters(MeterRegistry registry) {
        Gauge.builder(TealMeters.DISCOVERY_PENDING, pending, AtomicInteger::get)
                .description(TealMeters.DISCOVERY_PENDING_HELP).strongReference(true).register(registry);
        changes = Counter.builder(TealMeters.DISCOVERY_CHANGES).description(TealMeters.DISCOVERY_CHANGES_HELP)
                .register(registry);
        queue = Timer.builder(TealMeters.DISCOVERY_QUEUE).description(TealMeters.DISCOVERY_QUEUE_HELP)
                .serviceLevelObjectives(TealMeters.DISCOVERY_BUCKETS).register(registry);
        apply = Timer.builder(TealMeters.DISCOVERY_APPLY).description(TealMeters.DISCOVERY_APPLY_HELP)
                .serviceLevelObjectives(TealMeters.DISCOVERY_BUCKETS).register(registry);
    }

    /** One change to a watched object arrived (informer thread). */
    void changeQueued() {
        changes.increment();
        pending.incrementAndGet();
        firstPendingNanos.compareAndSet(NONE, System.nanoTime());
    }

    /**
     * A rebuild starts and takes up every change received so far: records how long the oldest waited.
     *
     * @return the start time to hand to {@link #applyEnded}
     */
    long applyStarted() {
        long now = System.nanoTime();
        int taken = pending.get();
        long first = firstPendingNanos.getAndSet(NONE);
        pending.addAndGet(-taken); // a change that arrives meanwhile stays pending for the next rebuild
        if (first != NONE) {
            queue.record(Math.max(0, now - first), TimeUnit.NANOSECONDS);
        }
        return now;
    }

    /** The rebuild that started at {@code startedNanos} has been applied (or refused). */
    void applyEnded(long startedNanos) {
        apply.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    int pending() {
        return pending.get();
    }
}
