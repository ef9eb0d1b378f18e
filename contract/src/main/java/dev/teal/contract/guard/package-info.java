/**
 * The guarded cutover, as gateway and controller both understand it. {@link dev.teal.contract.guard.Guard} is the
 * one parser of the guard syntax ({@code teal.dev/guard} and the standalone {@code guard:} key);
 * {@link dev.teal.contract.guard.LatencyBuckets} the fixed latency bucket boundaries every gateway counts in, so
 * histograms from several replicas merge exactly; {@link dev.teal.contract.guard.WindowFigures} a window's counts
 * (requests, 5xx, latency buckets), summed and merged across replicas and judged by {@link dev.teal.contract.guard.Guard#judge}.
 * Start with {@code Guard}.
 */
package dev.teal.contract.guard;
