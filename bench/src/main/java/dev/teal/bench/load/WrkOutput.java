package dev.teal.bench.load;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads wrk's stdout: the JSON line printed by {@code wrk-report.lua}'s {@code done()}. */
public final class WrkOutput {
    static final String MARKER = "TEAL_BENCH_RESULT ";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WrkOutput() {}

    public static WrkResult parse(String stdout) {
        for (String line : stdout.split("\n")) {
            int at = line.indexOf(MARKER);
            if (at >= 0) {
                return fromJson(JSON.readTree(line.substring(at + MARKER.length()).strip()));
            }
        }
        throw new IllegalArgumentException("wrk output has no " + MARKER.strip()
                + " line (was it run with wrk-report.lua?):\n" + stdout);
    }

    private static WrkResult fromJson(JsonNode n) {
        long requests = n.get("requests").asLong();
        double seconds = n.get("duration_us").asLong() / 1e6;
        JsonNode e = n.get("errors");
        JsonNode l = n.get("latency_us");
        return new WrkResult(requests, seconds, seconds > 0 ? requests / seconds : 0, n.get("bytes").asLong(),
                e.get("connect").asLong(), e.get("read").asLong(), e.get("write").asLong(), e.get("timeout").asLong(),
                e.get("status").asLong(),
                l.get("p50").asLong(), l.get("p90").asLong(), l.get("p99").asLong(), l.get("p999").asLong(),
                l.get("max").asLong());
    }
}
