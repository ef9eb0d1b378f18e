package dev.teal.contract.guard;

import dev.teal.contract.status.WindowStatus;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a guard judges: requests, 5xx answers (the gateway's own 502/503/504 included: the user saw them) and latency
 * counts per {@link LatencyBuckets} bucket, over a window. Figures from several replicas are {@link #plus summed}
 * bucket by bucket, never averaged.
 *
 * @param latency counts per bucket, {@link LatencyBuckets#COUNT} long
 */
public record WindowFigures(long requests, long errors, long[] latency) {
    public static final WindowFigures EMPTY = new WindowFigures(0, 0, new long[LatencyBuckets.COUNT]);

    public WindowFigures {
        if (latency.length != LatencyBuckets.COUNT) {
            throw new IllegalArgumentException("latency needs " + LatencyBuckets.COUNT + " buckets");
        }
        latency = latency.clone();
    }

    /** These figures and {@code other}'s, summed: the exact figures of both replicas together. */
    public WindowFigures plus(WindowFigures other) {
        long[] sum = latency.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.latency[i];
        }
        return new WindowFigures(requests + other.requests, errors + other.errors, sum);
    }

    /** The share of 5xx answers, 0 with no request. */
    public double errorRatio() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /**
     * The {@code q}th percentile (0 &lt; q &lt; 100) as the upper bound of its bucket, in nanoseconds; 0 with no
     * request; {@link Long#MAX_VALUE} when it falls in the unbounded last bucket.
     */
    public long percentileNanos(double q) {
        long total = Arrays.stream(latency).sum();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * q / 100.0);
        long seen = 0;
        for (int i = 0; i < latency.length; i++) {
            seen += latency[i];
            if (seen >= rank) {
                return LatencyBuckets.upperNanos(i);
            }
        }
        return Long.MAX_VALUE;
    }

    /** Requests slower than the upper bound of bucket {@code bucket}. */
    public long slowerThan(int bucket) {
        long n = 0;
        for (int i = bucket + 1; i < latency.length; i++) {
            n += latency[i];
        }
        return n;
    }

    /** The {@code /status} form: only buckets with a count, keyed by their {@link LatencyBuckets#label}. */
    public WindowStatus toStatus(long seconds) {
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (int i = 0; i < latency.length; i++) {
            if (latency[i] != 0) {
                buckets.put(LatencyBuckets.label(i), latency[i]);
            }
        }
        return new WindowStatus(seconds, requests, errors, buckets);
    }

    /**
     * Reads the {@code /status} form back.
     *
     * @throws IllegalArgumentException on a bucket label that is not one of {@link LatencyBuckets}' or a negative count
     */
    public static WindowFigures of(WindowStatus status) {
        long[] latency = new long[LatencyBuckets.COUNT];
        for (Map.Entry<String, Long> e : status.latency().entrySet()) {
            int i = LatencyBuckets.ofLabel(e.getKey());
            long n = e.getValue() == null ? -1 : e.getValue();
            if (i < 0 || n < 0) {
                throw new IllegalArgumentException("bad latency bucket " + e.getKey() + "=" + e.getValue());
            }
            latency[i] += n;
        }
        if (status.requests() < 0 || status.errors() < 0) {
            throw new IllegalArgumentException("negative counts");
        }
        return new WindowFigures(status.requests(), status.errors(), latency);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowFigures w && requests == w.requests && errors == w.errors
                && Arrays.equals(latency, w.latency);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(requests) * 31 + Long.hashCode(errors) * 17 + Arrays.hashCode(latency);
    }

    @Override
    public String toString() {
        return "WindowFigures[requests=" + requests + ", errors=" + errors + "]";
    }
}
