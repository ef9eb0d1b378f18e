package dev.teal.bench.scenario;

import java.util.List;

/**
 * {@code connections}: the gateway's memory as idle keep-alive client connections pile up, and the latency of a
 * trickle of live requests while they are all open. Memory in MiB; heap is {@code jvm_memory_used_bytes{area="heap"}}
 * (-1 when the gateway does not export it); latency in microseconds from the intended send time.
 */
public record ConnectionsResult(RunInfo info, int connections, int opened, int answered, int failed, int stillOpen,
        double baselineRssMiB, double rssMiB, double baselineHeapMiB, double heapMiB, double rssKiBPerConnection,
        double goalRssMiB, boolean withinGoal, List<Step> steps, Trickle trickle) {

    /** Memory after {@code connections} connections were open. */
    public record Step(int connections, double rssMiB, double heapMiB) {}

    /** The live requests sent while the connections were held. */
    public record Trickle(int rate, double seconds, long requests, long errors, long p50Us, long p99Us, long maxUs) {}
}
