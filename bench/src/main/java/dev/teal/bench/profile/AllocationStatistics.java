package dev.teal.bench.profile;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Bytes allocated per thread during a JFR recording, from {@code jfr print --json --events
 * jdk.ThreadAllocationStatistics}: the event carries a thread's cumulative allocation and is emitted at every chunk
 * (when the recording starts and when it is dumped), so a thread's bytes in the window are its last value minus its
 * first. A thread seen only once (it started or ended inside the window) is left out: the window is steady load, and
 * the threads that matter (event loops) live through it.
 */
public final class AllocationStatistics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AllocationStatistics() {}

    /** Bytes allocated in the window by thread name (Java name, else OS name), in first-seen order. */
    public static Map<String, Long> perThread(String jfrJson) {
        JsonNode events = JSON.readTree(jfrJson).path("recording").path("events");
        if (!events.isArray()) {
            throw new IllegalArgumentException("not the output of jfr print --json: no recording.events array");
        }
        Map<String, long[]> firstLast = new LinkedHashMap<>();
        for (JsonNode e : events) {
            if (!"jdk.ThreadAllocationStatistics".equals(e.path("type").asString())) {
                continue;
            }
            JsonNode v = e.path("values");
            JsonNode thread = v.path("thread");
            String name = thread.path("javaName").isString() ? thread.path("javaName").asString()
                    : thread.path("osName").asString("?");
            // a Java name may repeat across threads; the thread id keeps them apart
            String key = name + "#" + thread.path("javaThreadId").asLong(thread.path("osThreadId").asLong());
            long allocated = v.path("allocated").asLong();
            firstLast.merge(key, new long[] {allocated, allocated, 1},
                    (old, now) -> new long[] {old[0], now[1], old[2] + 1});
        }
        Map<String, Long> bytes = new LinkedHashMap<>();
        firstLast.forEach((key, fl) -> bytes.merge(key.substring(0, key.lastIndexOf('#')),
                fl[2] == 1 ? 0 : fl[1] - fl[0], Long::sum));
        return bytes;
    }
}
