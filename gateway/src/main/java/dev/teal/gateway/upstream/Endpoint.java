package dev.teal.gateway.upstream;

import dev.teal.contract.HostPort;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream address of one color. Shared by all event loops; every field is either immutable or atomic.
 * Usable means: not retired, healthy by the active check, and not passively ejected.
 */
public final class Endpoint {
    private final HostPort address;
    private final InetSocketAddress socketAddress;
    private final ColorPool pool;
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final AtomicInteger idleConnections = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile boolean healthy = true;
    private volatile long ejectedUntilNanos;
    private volatile boolean retired;

    Endpoint(HostPort address, InetSocketAddress resolved, ColorPool pool) {
        this.address = address;
        this.socketAddress = resolved;
        this.pool = pool;
    }

    public HostPort address() {
        return address;
    }

    public InetSocketAddress socketAddress() {
        return socketAddress;
    }

    public ColorPool pool() {
        return pool;
    }

    public boolean isUsable(long nowNanos) {
        return !retired && healthy && nowNanos - ejectedUntilNanos >= 0;
    }

    public boolean isHealthy() {
        return healthy;
    }

    public boolean isEjected() {
        return System.nanoTime() - ejectedUntilNanos < 0;
    }

    public boolean isRetired() {
        return retired;
    }

    /** A removed endpoint takes no new requests; its connections close when their request ends. */
    void retire() {
        retired = true;
    }

    /** Set by the active health check. */
    public void markHealthy(boolean value) {
        healthy = value;
    }

    public int inflight() {
        return inflight.get();
    }

    /** The endpoint's share of its color's requests, for picking the less loaded endpoint (not a second count). */
    public void requestStarted() {
        inflight.incrementAndGet();
    }

    public void requestEnded() {
        inflight.decrementAndGet();
    }

    /** A connection was opened, or a request went through: the endpoint works. */
    public void recordSuccess() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /**
     * A connect failure, reset or first-byte timeout; after {@code ejectAfterFailures} in a row the endpoint is ejected
     * for a while. Timeouts count: an endpoint that accepts and never answers would otherwise keep its share of the
     * requests, each waiting the whole response timeout. Any success in between resets the count.
     */
    public void recordFailure(UpstreamErrorKind kind) {
        pool.countError(kind);
        int n = consecutiveFailures.incrementAndGet();
        if (n >= pool.settings().ejectAfterFailures() && !isEjected() && pool.mayEject()) {
            ejectedUntilNanos = System.nanoTime() + pool.settings().ejectionTime().toNanos();
            consecutiveFailures.set(0);
            pool.logEjection(this, n);
        }
    }

    public AtomicInteger activeConnections() {
        return activeConnections;
    }

    public AtomicInteger idleConnections() {
        return idleConnections;
    }

    @Override
    public String toString() {
        return pool.service() + "/" + pool.color() + "/" + address;
    }
}
