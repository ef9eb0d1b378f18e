package dev.teal.bench.scenario;

import java.util.List;

/**
 * The {@code tls} scenario's result: every run, and per cell and target the median over rounds with the ratio to the
 * better of nginx and HAProxy.
 *
 * @param tealTlsProvider {@code tls.provider} from the gateway's {@code /status} (openssl or jdk), null without Teal
 */
public record TlsResult(RunInfo info, int rounds, int h2Clients, int h2Streams, long h2Requests, int handshakeBatch,
        int handshakeSeconds, int keepAliveConnections, int keepAliveSeconds, String tealTlsProvider, List<Run> runs,
        List<Row> rows) {

    /** Cell names. */
    public static final String H2 = "h2";
    public static final String HANDSHAKE = "handshake";
    public static final String H1_KEEPALIVE = "h1-keepalive";

    /**
     * One measurement: {@code rate} is requests/s (handshakes/s in the handshake cell), latencies -1 where the tool
     * gives none, {@code serverCpuSeconds} what the target's processes used meanwhile.
     */
    public record Run(String cell, int round, String target, double rate, long p50Us, long p99Us, long requests,
            long errors, double serverCpuSeconds, String tlsProtocol, String applicationProtocol) {}

    /**
     * Medians over rounds; {@code cpuUsPerRequest} the target's CPU per request (per handshake); {@code vsBestPeer}
     * this target's median over the better peer's (null for the peers themselves or without both).
     */
    public record Row(String cell, String target, double medianRate, double minRate, double maxRate, long p99Us,
            long errors, long requests, double cpuUsPerRequest, Double vsBestPeer, String tlsProtocol,
            String applicationProtocol) {}
}
