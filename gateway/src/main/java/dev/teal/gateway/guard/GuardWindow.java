package dev.teal.gateway.guard;

import dev.teal.contract.guard.LatencyBuckets;
import dev.teal.contract.guard.WindowFigures;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One guarded color's sliding window: a ring of one-second slots, each counting requests, 5xx answers and requests
 * per {@link LatencyBuckets} bucket. {@link #record} runs on the event loops: a few atomic increments and a binary
 * search, no allocation, no lock. {@link #figures} sums the slots of the last seconds (off the event loop, about
 * once a second). A slot is reused when its second comes round again: the first request of the new second zeroes it
 * while the slot is marked as resetting (others spin for the few dozen stores it takes, and yield if the resetting
 * thread lost its core meanwhile), so no count is lost to the reset.
 *
 * <p>{@link #restart} makes the window forget what came before (a color that starts serving is judged on its new
 * traffic only, not on what it answered the last time it served).
 */
public final class GuardWindow {
    private static final int WIDTH = 2 + LatencyBuckets.COUNT;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** A slot's stamp while it is being zeroed for a new second. */
    private static final long RESETTING = Long.MIN_VALUE + 1;
    private static final int MAX_SPINS = 100_000;

    private final int seconds;
    private final AtomicLongArray stamps;
    private final AtomicLongArray counts;
    private volatile Start start = new Start(Long.MIN_VALUE, new long[WIDTH]);

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
        int base = slot * WIDTH;
        for (int spins = 0; ; spins++) {
            long stamp = stamps.get(slot);
            if (stamp == sec) {
                break;
            }
            if (stamp == RESETTING) {
                if (spins < MAX_SPINS) {
                    Thread.onSpinWait(); // the reset is a few dozen stores
                } else {
                    Thread.yield(); // the resetting thread lost its core: let it finish rather than drop this count
                }
                continue;
            }
            if (stamp > sec) {
                return; // a thread that read the clock a whole window late; the slot holds a newer second
            }
            // the slot's second is over: zero it while no one counts into it, then open it for this second
            if (stamps.compareAndSet(slot, stamp, RESETTING)) {
                for (int i = 0; i < WIDTH; i++) {
                    counts.set(base + i, 0);
                }
                stamps.set(slot, sec);
                break;
            }
        }
        counts.incrementAndGet(base);
        if (status >= 500) {
            counts.incrementAndGet(base + 1);
        }
        counts.incrementAndGet(base + 2 + LatencyBuckets.index(Math.max(0, nanos)));
    }

    /**
     * Forgets every count so far: the window starts now (what the current second counted already is remembered and
     * left out).
     */
    public synchronized void restart() {
        long sec = now();
        int base = (int) Math.floorMod(sec, (long) seconds) * WIDTH;
        long[] before = new long[WIDTH];
        if (stamps.get((int) Math.floorMod(sec, (long) seconds)) == sec) {
            for (int i = 0; i < WIDTH; i++) {
                before[i] = counts.get(base + i);
            }
        }
        start = new Start(sec, before);
    }

    /** Where the window (re)started: its second, and that second's counts at that moment. */
    private record Start(long second, long[] counted) {
    }

    /** The seconds the figures cover now: the window, or less when it (re)started more recently. */
    public long coveredSeconds() {
        long now = now();
        long from = start.second();
        return from == Long.MIN_VALUE ? seconds : Math.min(seconds, now - from + 1);
    }

    /** The sums over the window (the current second included), since the last {@link #restart}. */
    public WindowFigures figures() {
        long now = now();
        Start s = start;
        long from = Math.max(now - seconds + 1, s.second());
        long requests = 0;
        long errors = 0;
        long[] latency = new long[LatencyBuckets.COUNT];
        for (int slot = 0; slot < seconds; slot++) {
            long stamp = stamps.get(slot);
            if (stamp < from || stamp > now) {
                continue;
            }
            int base = slot * WIDTH;
            long[] less = stamp == s.second() ? s.counted() : null; // counted in the second of the restart before it
            requests += counts.get(base) - (less == null ? 0 : less[0]);
            errors += counts.get(base + 1) - (less == null ? 0 : less[1]);
            for (int i = 0; i < LatencyBuckets.COUNT; i++) {
                latency[i] += counts.get(base + 2 + i) - (less == null ? 0 : less[2 + i]);
            }
        }
        return new WindowFigures(requests, errors, latency);
    }
}
