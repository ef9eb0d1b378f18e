package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * A guarded color's figures over the guard's sliding window in {@code /status} (only services with a guard carry
 * them). For the serving color the window starts no earlier than the moment it started serving.
 *
 * @param seconds  how many seconds the figures cover
 * @param requests requests answered
 * @param errors   of which 5xx (the gateway's own 502, 503 and 504 included)
 * @param latency  request counts per latency bucket with a count, keyed by the bucket's upper bound in
 *                 milliseconds ({@code "0.25"}, {@code "500"}, {@code "inf"}); the boundaries are fixed
 *                 ({@code dev.teal.contract.guard.LatencyBuckets}), so buckets of several replicas add up exactly
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WindowStatus(long seconds, long requests, long errors, Map<String, Long> latency) {
    public WindowStatus {
        latency = latency == null ? Map.of() : latency;
    }
}
