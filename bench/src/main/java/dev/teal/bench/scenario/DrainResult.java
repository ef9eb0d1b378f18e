package dev.teal.bench.scenario;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code drain} (Teal only): long requests and WebSockets open on blue across a switch to green. Times in
 * milliseconds after the switch command answered.
 */
public record DrainResult(RunInfo info, long drainTimeoutMs, long slowRequestMs, double switchAnswerMs,
        LongRequests longRequests, NewRequests newRequests, WebSockets webSockets, JsonNode gatewayStatusAfter) {

    /** Requests to {@code /slow} started on blue before the switch. */
    public record LongRequests(int sent, int ok, int onBlue, int onGreen, int failed, double lastEndedMs) {}

    /** Short requests started after the switch answer, on new connections and on one opened before the switch. */
    public record NewRequests(int sent, int onGreen, int onBlue, int failed, int onPreSwitchConnectionGreen,
            int onPreSwitchConnectionBlue) {}

    /**
     * WebSockets opened on blue before the switch. {@code echoedByBlueAfterSwitch}: answered a message sent after the
     * switch from blue (they stay). Half are closed by the client before the drain timeout; the rest are expected to
     * be closed by the gateway at the drain timeout.
     */
    public record WebSockets(int opened, int echoedByBlueAfterSwitch, int closedByClient, int closedByGateway,
            int stillOpen, List<Double> gatewayClosedAtMs) {}
}
