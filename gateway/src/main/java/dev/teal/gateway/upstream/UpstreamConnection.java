package dev.teal.gateway.upstream;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** What the pool knows about one upstream channel: its endpoint and whether it sits idle in the pool. */
public final class UpstreamConnection {
    static final AttributeKey<UpstreamConnection> KEY = AttributeKey.valueOf("teal.upstream");

    private final Endpoint endpoint;
    private boolean idle;
    private long idleSinceNanos;
    private long requests;

    UpstreamConnection(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    public static UpstreamConnection of(Channel ch) {
        return ch.attr(KEY).get();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    boolean isIdle() {
        return idle;
    }

    /** Requests this connection has carried; a value above 0 at acquire time means it was reused. */
    public long requests() {
        return requests;
    }

    void markActive() {
        if (idle) {
            idle = false;
            endpoint.idleConnections().decrementAndGet();
            endpoint.activeConnections().incrementAndGet();
        }
        requests++;
    }

    void markIdle(long now) {
        if (!idle) {
            idle = true;
            idleSinceNanos = now;
            endpoint.activeConnections().decrementAndGet();
            endpoint.idleConnections().incrementAndGet();
        }
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void closed() {
        if (idle) {
            endpoint.idleConnections().decrementAndGet();
        } else {
            endpoint.activeConnections().decrementAndGet();
        }
    }
}
