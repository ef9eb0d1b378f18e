package dev.teal.gateway.upstream;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * What the pool knows about one upstream channel: its endpoint and whether it sits idle in the pool. An HTTP/2
 * (h2c) connection also counts its open streams: it is idle when it has none, and takes another while it has fewer
 * than the upstream allows and has not said GOAWAY. A stream channel shares its connection's instance.
 */
public final class UpstreamConnection {
    static final AttributeKey<UpstreamConnection> KEY = AttributeKey.valueOf("teal.upstream");

    private final Endpoint endpoint;
    private final Channel channel;
    private boolean idle;
    private long idleSinceNanos;
    private long requests;
    private int streams;
    private int maxStreams = 100;
    private boolean goneAway;
    private io.netty.channel.ChannelFuture connected;

    UpstreamConnection(Endpoint endpoint, Channel channel) {
        this.endpoint = endpoint;
        this.channel = channel;
    }

    public static UpstreamConnection of(Channel ch) {
        return ch.attr(KEY).get();
    }

    /** The connection's channel (for an HTTP/2 connection the parent channel, not a stream's). */
    Channel channel() {
        return channel;
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

    /** HTTP/2: the upstream's {@code SETTINGS_MAX_CONCURRENT_STREAMS}. */
    public void maxStreams(long max) {
        maxStreams = (int) Math.min(Integer.MAX_VALUE, Math.max(0, max));
    }

    /** HTTP/2: the upstream said GOAWAY; no new stream goes here. */
    public void goneAway() {
        goneAway = true;
    }

    boolean isGoneAway() {
        return goneAway;
    }

    boolean takesAnotherStream() {
        return !goneAway && streams < maxStreams;
    }

    int streams() {
        return streams;
    }

    void streamOpened() {
        if (streams++ == 0) {
            markActive();
        } else {
            requests++;
        }
    }

    /** True when this was the last open stream. */
    boolean streamClosed() {
        return --streams == 0;
    }

    io.netty.channel.ChannelFuture connected() {
        return connected;
    }

    void connected(io.netty.channel.ChannelFuture f) {
        connected = f;
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
