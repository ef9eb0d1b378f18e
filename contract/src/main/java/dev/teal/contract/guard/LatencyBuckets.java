package dev.teal.contract.guard;

import java.util.Locale;

/**
 * The fixed latency bucket boundaries every gateway counts a guarded color's requests in: 0.25 ms and 0.5 ms, then
 * 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6 and 8 times each power of ten from 1 ms to 10 s, then 100 s; a last bucket holds
 * everything slower. Each bucket counts requests whose latency is at most its upper bound and above the previous
 * one (Prometheus' {@code le}). Because every replica uses the same boundaries, adding counts bucket by bucket
 * merges histograms exactly; a percentile read from them is the upper bound of its bucket (at most 25% above the
 * true value).
 */
public final class LatencyBuckets {
    private static final double[] STEPS = {1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8};
    /** Upper bounds in nanoseconds, ascending; the bucket after the last is unbounded. */
    private static final long[] UPPER_NANOS = bounds();
    /** Buckets, the unbounded last one included. */
    public static final int COUNT = UPPER_NANOS.length + 1;

    private LatencyBuckets() {
    }

    private static long[] bounds() {
        long[] b = new long[2 + 5 * STEPS.length + 1];
        int i = 0;
        b[i++] = 250_000L;
        b[i++] = 500_000L;
        for (long decade = 1_000_000L; decade <= 10_000_000_000L; decade *= 10) {
            for (double s : STEPS) {
                b[i++] = Math.round(decade * s);
            }
        }
        b[i] = 100_000_000_000L;
        return b;
    }

    /** The bucket of a latency; allocation-free (a binary search over {@value #COUNT} bounds). */
    public static int index(long nanos) {
        int lo = 0;
        int hi = UPPER_NANOS.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (UPPER_NANOS[mid] < nanos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The upper bound of bucket {@code i} in nanoseconds; {@link Long#MAX_VALUE} for the last. */
    public static long upperNanos(int i) {
        return i < UPPER_NANOS.length ? UPPER_NANOS[i] : Long.MAX_VALUE;
    }

    /** The smallest bucket whose upper bound is at least {@code nanos}: where a latency limit is judged. */
    public static int atLeast(long nanos) {
        return index(nanos);
    }

    /** The label of bucket {@code i} in {@code /status}: its upper bound in milliseconds ({@code 0.25}, {@code 500}), or {@code inf}. */
    public static String label(int i) {
        if (i >= UPPER_NANOS.length) {
            return "inf";
        }
        long n = UPPER_NANOS[i];
        return n % 1_000_000L == 0 ? Long.toString(n / 1_000_000L)
                : String.format(Locale.ROOT, "%s", n / 1_000_000.0).replaceAll("0+$", "");
    }

    /** The bucket a {@link #label} names, or -1 when it names none. */
    public static int ofLabel(String label) {
        for (int i = 0; i < COUNT; i++) {
            if (label(i).equals(label)) {
                return i;
            }
        }
        return -1;
    }
}
