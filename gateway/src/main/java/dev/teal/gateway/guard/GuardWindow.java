package dev.teal.gateway.guard;

import dev.teal.contract.guard.LatencyBuckets;
import dev.teal.contract.guard.WindowFigures;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One guarded color's sliding window: a ring of one-second slots, each counting requests, 5xx answers and requests
 * per {@link LatencyBuckets} bucket. {@link #record} runs on the event loops: a few atomic increments and a binary
 * search, no allocation, no lock. {@link #figures} sums the slots of the last seconds (off the event loop, about
 * once a second). A slot is reused when its second comes round again: the first request of the new second resets
 * it (an increment racing that reset on another event loop may be lost; the figures are a guard's, not billing's).
 *
 * <p>{@link #restart} makes the window forget what came before (a color that starts serving is judged on its new
 * traffic only, not on what it answered the last time it served).
 */
public final class GuardWindow {
    private static final int WIDTH = 2 + LatencyBuckets.COUNT;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int seconds;
    private final AtomicLongArray stamps;
    private final AtomicLongArray counts;
    private volatile long startSecond = Long.MIN_VALUE;

    /** @param seconds the window (the guard's {@code window}), 1..300 */
    public GuardWindow(int seconds) {
        if (seconds < 1 || seconds > 300) {
            throw new IllegalArgumentException("seconds must be within 1..300, not " + seconds);
        }
        this.seconds = seconds;
        this.stamps = new AtomicLongArray(seconds);
        for (int i = 0; i < seconds; i++) {
            stamps.set(i, Long.MIN_VALUE);
        }
        this.counts = new AtomicLongArray(seconds * WIDTH);
    }

    public int seconds() {
        return seconds;
    }

    private static long now() {
        return Math.floorDiv(System.nanoTime(), NANOS_PER_SECOND);
    }

    /** Counts one answered request: its status and its time from request start to the last response byte. */
    public void record(int status, long nanos) {
        long sec = now();
        int slot = (int) Math.floorMod(sec, (long) seconds);
        long stamp = stamps.get(slot);
        if (stamp != sec) {
            if (stamp > sec) {
                return; // a thread that read the clock a second late; the slot already holds the next round
            }
            if (stamps.compareAndSet(slot, stamp, sec)) {
                int base = slot * WIDTH;
                for (int i = 0; i < WIDTH; i++) {
                    counts.set(base + i, 0);
                }
            }
        }
        int base = slot * WIDTH;
        counts.incrementAndGet(base);
        if (status >= 500) {
            counts.incrementAndGet(base + 1);
        }
        counts.incrementAndGet(base + 2 + LatencyBuckets.index(Math.max(0, nanos)));
    }

    /** Forgets every count so far: the window starts at the current second. */
    public void restart() {
        startSecond = now();
    }

    /** The seconds the figures cover now: the window, or less when it (re)started more recently. */
    public long coveredSeconds() {
        long now = now();
        long start = startSecond;
        return start == Long.MIN_VALUE ? seconds : Math.min(seconds, now - start + 1);
    }

    /** The sums over the window (the current second included), since the last {@link #restart}. */
    public WindowFigures figures() {
        long now = now();
        long from = Math.max(now - seconds + 1, startSecond);
        long requests = 0;
        long errors = 0;
        long[] latency = new long[LatencyBuckets.COUNT];
        for (int slot = 0; slot < seconds; slot++) {
            long stamp = stamps.get(slot);
            if (stamp < from || stamp > now) {
                continue;
            }
            int base = slot * WIDTH;
            requests += counts.get(base);
            errors += counts.get(base + 1);
            for (int i = 0; i < LatencyBuckets.COUNT; i++) {
                latency[i] += counts.get(base + 2 + i);
            }
        }
        return new WindowFigures(requests, errors, latency);
    }
}
