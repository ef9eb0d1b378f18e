package dev.teal.bench.load;

/**
 * A fixed-rate open-loop schedule: request {@code i} is due at {@code start + i / rate} seconds, whatever happened to
 * earlier requests. Latency is measured from that intended time, so a stalled server is charged for every request it
 * delayed (coordinated omission corrected).
 */
public record Schedule(long startNanos, double ratePerSecond, int count) {
    public Schedule {
        if (ratePerSecond <= 0 || count < 0) {
            throw new IllegalArgumentException("rate must be > 0 and count >= 0");
        }
    }

    public static Schedule of(long startNanos, double ratePerSecond, double seconds) {
        return new Schedule(startNanos, ratePerSecond, (int) Math.round(ratePerSecond * seconds));
    }

    /** When request {@code i} should be sent. Computed from {@code i}, never accumulated: no drift. */
    public long intendedNanos(int i) {
        return startNanos + (long) Math.floor(i * 1e9 / ratePerSecond);
    }

    /** How many requests are due at {@code nowNanos} (those with an intended time at or before it). */
    public int dueAt(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        long due = (long) Math.floor((nowNanos - startNanos) * ratePerSecond / 1e9) + 1;
        // floating point: step back or forward so that intendedNanos agrees exactly
        while (due > 0 && intendedNanos((int) Math.min(due - 1, Integer.MAX_VALUE)) > nowNanos) {
            due--;
        }
        while (due < count && intendedNanos((int) due) <= nowNanos) {
            due++;
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
