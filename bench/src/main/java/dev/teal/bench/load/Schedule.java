package dev.teal.bench.load;

/**
 * A fixed-rate open-loop schedule: request {@code i} is due at {@code start + i / rate} seconds, whatever happened to
 * earlier requests. Latency is measured from that intended time, so a stalled server is charged for every request it
 * delayed (coordinated omission corrected).
 */
public record Schedule(long startNanos, int ratePerSecond, int count) {
    public Schedule {
        if (ratePerSecond <= 0 || count < 0) {
            throw new IllegalArgumentException("rate must be > 0 and count >= 0");
        }
    }

    public static Schedule of(long startNanos, int ratePerSecond, double seconds) {
        return new Schedule(startNanos, ratePerSecond, (int) Math.round(ratePerSecond * seconds));
    }

    /** When request {@code i} should be sent. Computed from {@code i}, never accumulated: no drift. */
    public long intendedNanos(long i) {
        return startNanos + i * 1_000_000_000L / ratePerSecond;
    }

    /** How many requests are due at {@code nowNanos} (those with an intended time at or before it). */
    public int dueAt(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        // integer arithmetic, the inverse of intendedNanos: i is due when i * 1e9 / rate <= elapsed
        long elapsed = nowNanos - startNanos;
        long due = (elapsed * ratePerSecond + ratePerSecond - 1) / 1_000_000_000L;
        while (due < count && intendedNanos((int) due) <= nowNanos) {
            due++;
        }
        while (due > 0 && intendedNanos((int) (due - 1)) > nowNanos) {
            due--;
        }
        return (int) Math.min(due, count);
    }

    /** Latency of request {@code i} answered at {@code answeredNanos}, from its intended send time. */
    public long latencyNanos(int i, long answeredNanos) {
        return answeredNanos - intendedNanos(i);
    }

    public long endNanos() {
        return intendedNanos(count);
    }
}
