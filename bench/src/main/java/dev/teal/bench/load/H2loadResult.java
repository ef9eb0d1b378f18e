package dev.teal.bench.load;

/**
 * One h2load run: request counts from its summary, the elapsed time it reports, the negotiated TLS protocol and ALPN
 * protocol, and the latency percentiles read from its per-request log (-1 when there was no log).
 */
public record H2loadResult(long requests, long succeeded, long failed, long errored, long timeout, long status2xx,
        double seconds, String tlsProtocol, String applicationProtocol, long p50Us, long p99Us) {

    /** Successful requests per second over h2load's own elapsed time. */
    public double requestsPerSecond() {
        return seconds > 0 ? succeeded / seconds : 0;
    }

    /** Requests that did not end with a 2xx answer. */
    public long errors() {
        return requests - status2xx;
    }

    H2loadResult withLatencies(long p50, long p99) {
        return new H2loadResult(requests, succeeded, failed, errored, timeout, status2xx, seconds, tlsProtocol,
                applicationProtocol, p50, p99);
    }
}
