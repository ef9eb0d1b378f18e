/**
 * {@code compare --profile}: what one request costs the server, measured from outside the target process. {@link
 * dev.teal.bench.profile.Profiler} runs one extra wrk run per target and cell under JFR (bytes allocated per request on
 * the target's event loop threads and in the whole JVM, from {@code jdk.ThreadAllocationStatistics}, read by {@link
 * dev.teal.bench.profile.AllocationStatistics}) and one under {@code strace -c} (system calls per request: the event loop threads of a JVM target, every process of
 * nginx and HAProxy; read by
 * {@link dev.teal.bench.profile.StraceSummary}). Start with {@code Profiler}.
 */
package dev.teal.bench.profile;
