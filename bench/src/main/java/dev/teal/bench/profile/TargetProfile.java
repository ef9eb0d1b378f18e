package dev.teal.bench.profile;

import java.util.Map;

/**
 * What one request cost a target in one compare cell (body, connections). Allocation figures are null for targets that
 * are not JVMs or when JFR was unavailable; syscall figures are null when strace was unavailable; {@code note} says
 * why (null when everything was measured).
 *
 * @param allocationRequests requests wrk completed while JFR recorded
 * @param eventLoopBytesPerRequest bytes allocated on the target's event loop threads per request
 * @param jvmBytesPerRequest bytes allocated by all threads of the JVM per request
 * @param straceRequests requests wrk completed while strace counted (strace slows the target; the count per request
 *     still holds)
 * @param syscallsPerRequest system calls per request: of the event loop threads for JVM targets ({@code teal},
 *     {@code ceiling}), of all processes and threads for the others
 * @param topSyscallsPerRequest the most frequent system calls, per request, most frequent first
 */
public record TargetProfile(String body, int connections, String target, Long allocationRequests,
        Double eventLoopBytesPerRequest, Double jvmBytesPerRequest, Long straceRequests, Double syscallsPerRequest,
        Map<String, Double> topSyscallsPerRequest, String note) {}
