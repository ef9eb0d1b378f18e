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
     * @param startToRoutedMs     gateway process start until it said it routes all N ({@code gatewayRoutedMs}) and
     *                            then a sample of 101 hosts answered 200 through it ({@code sampleMs})
     * @param gatewayRoutedMs     process start until {@code /readyz} and {@code /status?service=} of the last service
     *                            answered 200 (polled every 20 ms)
     * @param startPhasesMs       from the gateway's log: when it started listening, each informer listed, and the
     *                            first build's and apply's durations ({@code build}, {@code apply})
     * @param sampleMs            the sampled hosts' first requests, after {@code gatewayRoutedMs}
     * @param allCheckMs          the bench's own check afterwards: every host once over one connection
     * @param routed              hosts that answered 200 in that check
     * @param changeDelaysMs      for each EndpointSlice PUT: PUT sent to the first request that reached the new endpoint
     * @param rssMiB              gateway RSS once everything was routed
     * @param heapMiB             its heap in use then ({@code jvm_memory_used_bytes{area="heap"}})
     * @param liveHeapMiB         the same right after a full collection, once routed and the 101 sampled hosts
     *                            requested (before the check of every host opens an upstream connection per service)
     * @param applies             {@code teal_discovery_apply_seconds_count} at the end
     * @param meanApplyMs         its sum divided by its count: the mean rebuild-and-apply time
     * @param changesSeen         {@code teal_discovery_changes_total} at the end
     */
    public record Size(int services, long createMs, long startToRoutedMs, long gatewayRoutedMs,
            java.util.Map<String, Long> startPhasesMs, long sampleMs, long allCheckMs, int routed, List<Long> changeDelaysMs,
            long changeMedianMs, long changeMaxMs, int changesApplied, double rssMiB, double heapMiB,
            long metricsBytes, long statusBytes, long statusOneServiceBytes, long applies, double meanApplyMs,
            long changesSeen, double liveHeapMiB, Churn churn) {

        public Size withChurn(Churn c) {
            return new Size(services, createMs, startToRoutedMs, gatewayRoutedMs, startPhasesMs, sampleMs, allCheckMs,
                    routed, changeDelaysMs, changeMedianMs, changeMaxMs, changesApplied, rssMiB, heapMiB, metricsBytes,
                    statusBytes, statusOneServiceBytes, applies, meanApplyMs, changesSeen, liveHeapMiB, c);
        }
    }

    /**
     * 100 EndpointSlice PUTs a second (each moving its service to the other backend), each followed by requests until
     * the new backend answers.
     *
     * @param lateSends      changes sent more than 100 ms after they were due (their thread was still waiting)
     * @param effectMedianUs PUT start → first answer from the new backend (µs); p99 and max likewise
     * @param unseen         changes whose new backend did not answer within 10 s
     * @param putMedianUs    the mock API server's PUT alone (µs, millisecond resolution)
     * @param rebuilds       {@code teal_discovery_queue_seconds_count} during the churn
     * @param queueMeanMs    its mean: how long the first change each rebuild took up had waited
     * @param storeScans     requests the mock answered with a scan of its whole store (should be 0)
     */
    public record Churn(int seconds, int puts, double putsPerSecond, int lateSends, long effectMedianUs,
            long effectP99Us, long effectMaxUs, int unseen, long putMedianUs, long putP99Us, long rebuilds,
            double queueMeanMs, long queueOver50ms, long queueOver100ms, double applyMeanMs, long applyOver50ms,
            long storeScans) {}
}
