package dev.teal.bench.load;

/** One wrk run. Latencies in microseconds (closed loop: wrk's own figures). */
public record WrkResult(
        long requests,
        double seconds,
        double requestsPerSecond,
        long bytes,
        long connectErrors,
        long readErrors,
        long writeErrors,
        long timeoutErrors,
        long non2xx,
        long p50Us,
        long p90Us,
        long p99Us,
        long p999Us,
        long maxUs) {

    /** Non-2xx answers plus socket errors. */
    public long errors() {
        return connectErrors + readErrors + writeErrors + timeoutErrors + non2xx;
    }
}
