package dev.teal.bench.scenario;

import java.util.List;

/**
 * {@code scale}: one gateway in cluster mode following N front Services (each with its Ingress and EndpointSlice) in
 * the fabric8 mock API server. Times in milliseconds, sizes in bytes.
 */
public record ScaleResult(RunInfo info, List<Size> sizes) {

    /**
     * One N.
     *
     * @param createMs            creating the 3 N objects in the mock API server (before the gateway starts)
     * @param startToRoutedMs     gateway process start to every one of the N hosts answering through it
     * @param routed              hosts that answered 200 at the end of that wait
     * @param changeDelaysMs      for each EndpointSlice PUT: PUT sent to the first request that reached the new endpoint
     * @param rssMiB              gateway RSS once everything was routed
     * @param heapMiB             its heap in use then ({@code jvm_memory_used_bytes{area="heap"}})
     * @param applies             {@code teal_discovery_apply_seconds_count} at the end
     * @param meanApplyMs         its sum divided by its count: the mean rebuild-and-apply time
     * @param changesSeen         {@code teal_discovery_changes_total} at the end
     */
    public record Size(int services, long createMs, long startToRoutedMs, int routed, List<Long> changeDelaysMs,
            long changeMedianMs, long changeMaxMs, int changesApplied, double rssMiB, double heapMiB,
            long metricsBytes, long statusBytes, long statusOneServiceBytes, long applies, double meanApplyMs,
            long changesSeen) {}
}
