package dev.teal.bench.scenario;

import java.util.List;
import java.util.Map;

/** {@code cutover}: for each target, the same fixed-rate load across the same switches. */
public record CutoverResult(RunInfo info, int rate, String rateSource, int connections, int switches,
        double intervalSeconds, int warmupSeconds, List<TargetRun> targets) {

    /**
     * One target. Latencies in microseconds from the intended send time. {@code oldAfterSwitch}: answers from the old
     * color to requests sent after the switch command had answered (must be 0); a request still unanswered when the
     * next switch is commanded may rightly be routed by that one, so an answer from the color it switches to is not
     * old. Mixed window: from the switch command
     * to the last old-color answer to a request sent after the command. Switch second: requests intended within 1 s
     * after a switch command; steady: all others.
     */
    public record TargetRun(String target, long requests, long ok, long errors, Map<String, Long> errorKinds,
            long retried, long oldAfterSwitch, double mixedWindowMaxMs, double mixedWindowMedianMs,
            double switchAnswerMedianMs, double switchAnswerMaxMs, long p50Us, long p99Us, long p999Us, long maxUs,
            long steadyP99Us, long switchSecondP99Us, Double switchP99Ratio, List<Switch> switchLog,
            List<Second> seconds) {}

    /** One switch: when (seconds from the start), how long the command took, and what followed it. */
    public record Switch(int index, String from, String to, double atSeconds, double answerMs, double mixedWindowMs,
            long oldAfterAnswer) {}

    /** Requests by intended send second: count per answering color, errors, latency. */
    public record Second(int second, Map<String, Long> byColor, long errors, long p50Us, long p99Us) {}
}
