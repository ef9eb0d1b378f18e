package dev.teal.gateway.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Idle upstream connections of one event loop, per endpoint. Every method must run on that loop, so nothing here
 * takes a lock. The most recently used connection is reused first, so surplus connections age out and are closed
 * after the upstream idle timeout.
 *
 * <p>For h2c services it keeps the HTTP/2 connections of this loop per endpoint instead: each request is a stream
 * ({@link #streamConnection}, {@link #openStream}) on the first connection with room for one, and a new connection
 * opens only when none has room. Such a connection is idle while it has no stream; it closes like an HTTP/1.1 one
 * (idle timeout, its color no longer serving, its endpoint retired) when its last stream ends.
 */
public final class LoopConnectionPool {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Idle connections per endpoint, most recently used first; the record, which knows its channel, not the channel. */
    private final Map<Endpoint, ArrayDeque<UpstreamConnection>> idle = new IdentityHashMap<>();
    private final Map<Endpoint, int[]> open = new IdentityHashMap<>();
    private final Map<Endpoint, ArrayList<Channel>> multiplexed = new IdentityHashMap<>();
    private Bootstrap h2Bootstrap;
    private volatile long idleTimeoutNanos;
    private volatile int maxPerEndpoint;

    public LoopConnectionPool(EventLoop loop, Class<? extends SocketChannel> channelClass, ChannelHandler initializer,
                              Duration connectTimeout, Duration idleTimeout, int maxPerEndpoint) {
        this.loop = loop;
        this.bootstrap = new Bootstrap().group(loop).channel(channelClass).handler(initializer)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.maxPerEndpoint = maxPerEndpoint;
        long period = Math.max(100, Math.min(1000, idleTimeout.toMillis() / 2));
        loop.scheduleAtFixedRate(this::evictExpired, period, period, TimeUnit.MILLISECONDS);
    }

    /** As the other constructor, with the pipeline of HTTP/2 (h2c) upstream connections. */
    public LoopConnectionPool(EventLoop loop, Class<? extends SocketChannel> channelClass, ChannelHandler initializer,
                              ChannelHandler h2Initializer, Duration connectTimeout, Duration idleTimeout,
                              int maxPerEndpoint) {
        this(loop, channelClass, initializer, connectTimeout, idleTimeout, maxPerEndpoint);
        this.h2Bootstrap = bootstrap.clone().handler(h2Initializer);
    }

    public EventLoop loop() {
        return loop;
    }

    /** New settings from a reload; applies to connections opened or released from now on. */
    public void update(Duration connectTimeout, Duration idleTimeout, int maxPerEndpoint) {
        loop.execute(() -> {
            int millis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
            bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis);
            if (h2Bootstrap != null) {
                h2Bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis);
            }
        });
        this.idleTimeoutNanos = idleTimeout.toNanos();
        this.maxPerEndpoint = maxPerEndpoint;
    }

    /** A pooled, open connection to the endpoint, marked active; or null. */
    public Channel pollIdle(Endpoint endpoint) {
        ArrayDeque<UpstreamConnection> q = idle.get(endpoint);
        if (q == null) {
            return null;
        }
        UpstreamConnection c;
        while ((c = q.pollFirst()) != null) {
            if (c.channel().isActive()) {
                c.markActive();
                return c.channel();
            }
        }
        return null;
    }

    /** True when the per-endpoint connection limit of this loop leaves room for one more connection. */
    public boolean mayOpen(Endpoint endpoint) {
        int max = maxPerEndpoint;
        if (max == 0) {
            return true;
        }
        int[] n = open.get(endpoint);
        return n == null || n[0] < max;
    }

    /**
     * Opens a new connection to the endpoint on this loop. It counts as active from the start; the caller learns
     * the outcome from the future.
     */
    public ChannelFuture connect(Endpoint endpoint) {
        return connect(endpoint, bootstrap);
    }

    private ChannelFuture connect(Endpoint endpoint, Bootstrap b) {
        ChannelFuture f = b.connect(endpoint.socketAddress());
        Channel ch = f.channel();
        UpstreamConnection conn = new UpstreamConnection(endpoint, ch);
        ch.attr(UpstreamConnection.KEY).set(conn);
        endpoint.activeConnections().incrementAndGet();
        open.computeIfAbsent(endpoint, e -> new int[1])[0]++;
        conn.markActive();
        endpoint.pool().track(ch);
        ch.closeFuture().addListener(cf -> {
            conn.closed();
            int[] n = open.get(endpoint);
            if (n != null && --n[0] == 0) {
                open.remove(endpoint);
            }
            // only the deque changes here: evictExpired/closeIdle may be iterating the map right now
            ArrayDeque<UpstreamConnection> q = idle.get(endpoint);
            if (q != null) {
                q.remove(conn);
            }
            ArrayList<Channel> m = multiplexed.get(endpoint);
            if (m != null) {
                m.remove(ch);
            }
        });
        return f;
    }

    /**
     * An HTTP/2 connection to the endpoint on this loop with room for one more stream (it may still be connecting:
     * the future says when it is), or a new one; null when none has room and the per-endpoint limit allows no more.
     */
    public ChannelFuture streamConnection(Endpoint endpoint) {
        ArrayList<Channel> list = multiplexed.get(endpoint);
        if (list != null) {
            for (Channel ch : list) {
                UpstreamConnection c = UpstreamConnection.of(ch);
                if (ch.isOpen() && c.takesAnotherStream()) {
                    return c.connected();
                }
            }
        }
        if (!mayOpen(endpoint)) {
            return null;
        }
        ChannelFuture f = connect(endpoint, h2Bootstrap);
        UpstreamConnection c = UpstreamConnection.of(f.channel());
        c.connected(f);
        c.markIdle(System.nanoTime()); // idle until its first stream opens
        multiplexed.computeIfAbsent(endpoint, e -> new ArrayList<>(2)).add(f.channel());
        return f;
    }

    /**
     * Opens a stream on a connected HTTP/2 connection, with {@code streamHandler} as its pipeline; the stream shares
     * the connection's {@link UpstreamConnection}. When the stream closes and it was the connection's last, the
     * connection becomes idle, or closes if its color no longer serves or its endpoint is retired.
     */
    public Future<Http2StreamChannel> openStream(Channel connection, ChannelHandler streamHandler) {
        UpstreamConnection c = UpstreamConnection.of(connection);
        c.streamOpened();
        Future<Http2StreamChannel> f = new Http2StreamChannelBootstrap(connection).handler(streamHandler)
                .attr(UpstreamConnection.KEY, c).open();
        f.addListener(o -> {
            if (f.isSuccess()) {
                f.getNow().closeFuture().addListener(x -> streamClosed(connection));
            } else {
                streamClosed(connection);
            }
        });
        return f;
    }

    private void streamClosed(Channel connection) {
        UpstreamConnection c = UpstreamConnection.of(connection);
        if (!c.streamClosed()) {
            return;
        }
        Endpoint e = c.endpoint();
        if (!connection.isActive() || c.isGoneAway() || e.isRetired() || !e.pool().isServing()) {
            connection.close();
        } else {
            c.markIdle(System.nanoTime());
        }
    }

    /**
     * A request on this connection ended. It goes back to the pool only if it can carry another request and its
     * color keeps connections (it serves, or is previewed, or its sticky window is open); otherwise it is closed
     * (this is how busy connections of a draining color close).
     */
    public void release(Channel ch, boolean reusable) {
        release(ch, null, reusable);
    }

    /** As {@link #release(Channel, boolean)}, with the channel's {@link UpstreamConnection} if the caller holds it. */
    public void release(Channel ch, UpstreamConnection known, boolean reusable) {
        if (ch instanceof Http2StreamChannel) {
            ch.close(); // a stream is used once; a reset if it is still open. The connection learns it on close.
            return;
        }
        UpstreamConnection conn = known != null ? known : UpstreamConnection.of(ch);
        Endpoint e = conn.endpoint();
        if (!reusable || !ch.isActive() || e.isRetired() || !e.pool().keepsConnections()) {
            ch.close();
            return;
        }
        conn.markIdle(System.nanoTime());
        idle.computeIfAbsent(e, k -> new ArrayDeque<>()).addFirst(conn);
    }

    /**
     * Opens connections to the endpoints of {@code to} before it serves: as many as {@code from} has open on this loop
     * (at most {@code cap}), spread over the endpoints, each pooled as idle once connected. {@code done} runs on this
     * loop when every attempt has ended, successful or not. Must run on this loop.
     */
    public void warm(ColorPool from, Endpoint[] to, int cap, Runnable done) {
        int want = 0;
        int have = 0;
        for (Map.Entry<Endpoint, int[]> e : open.entrySet()) {
            if (e.getKey().pool() == from) {
                want += e.getValue()[0];
            } else if (to.length > 0 && e.getKey().pool() == to[0].pool()) {
                have += e.getValue()[0];
            }
        }
        int n = Math.min(cap, want - have);
        if (n <= 0 || to.length == 0) {
            done.run();
            return;
        }
        int[] left = {n};
        Runnable one = () -> {
            if (--left[0] == 0) {
                done.run();
            }
        };
        for (int i = 0; i < n; i++) {
            Endpoint e = to[i % to.length];
            if (!mayOpen(e)) {
                one.run();
                continue;
            }
            ChannelFuture f = connect(e);
            f.addListener(cf -> {
                Channel ch = f.channel();
                if (cf.isSuccess() && !e.isRetired()) {
                    e.recordSuccess();
                    // pooled although the color does not serve yet: it is about to
                    UpstreamConnection c = UpstreamConnection.of(ch);
                    c.markIdle(System.nanoTime());
                    idle.computeIfAbsent(e, k -> new ArrayDeque<>()).addFirst(c);
                } else {
                    ch.close();
                }
                one.run();
            });
        }
    }

    /**
     * Opens a bare TCP connection to the endpoint and closes it again: the future answers whether it was accepted
     * within {@code timeout}. Sends nothing; never blocks.
     */
    public ChannelFuture probe(InetSocketAddress address, Duration timeout) {
        Bootstrap b = bootstrap.clone().handler(new ChannelInboundHandlerAdapter())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()));
        ChannelFuture f = b.connect(address);
        f.addListener(cf -> f.channel().close());
        return f;
    }

    /** Closes the idle connections of the endpoints that match (a switch closes the old color's at once). */
    public void closeIdle(Predicate<Endpoint> which) {
        for (Iterator<Map.Entry<Endpoint, ArrayDeque<UpstreamConnection>>> it = idle.entrySet().iterator();
             it.hasNext(); ) {
            Map.Entry<Endpoint, ArrayDeque<UpstreamConnection>> entry = it.next();
            if (which.test(entry.getKey())) {
                ArrayDeque<UpstreamConnection> q = entry.getValue();
                it.remove();
                UpstreamConnection c;
                while ((c = q.pollFirst()) != null) {
                    c.channel().close();
                }
            }
        }
        for (Map.Entry<Endpoint, ArrayList<Channel>> entry : multiplexed.entrySet()) {
            if (which.test(entry.getKey())) {
                for (Channel ch : List.copyOf(entry.getValue())) {
                    if (UpstreamConnection.of(ch).streams() == 0) {
                        ch.close();
                    }
                }
            }
        }
    }

    private void evictExpired() {
        long now = System.nanoTime();
        long timeout = idleTimeoutNanos;
        for (Iterator<Map.Entry<Endpoint, ArrayDeque<UpstreamConnection>>> it = idle.entrySet().iterator();
             it.hasNext(); ) {
            ArrayDeque<UpstreamConnection> q = it.next().getValue();
            UpstreamConnection oldest;
            while ((oldest = q.peekLast()) != null && now - oldest.idleSinceNanos() >= timeout) {
                q.pollLast();
                oldest.channel().close();
            }
            if (q.isEmpty()) {
                it.remove();
            }
        }
        for (ArrayList<Channel> list : multiplexed.values()) {
            for (Channel ch : List.copyOf(list)) {
                UpstreamConnection c = UpstreamConnection.of(ch);
                if (c.isIdle() && now - c.idleSinceNanos() >= timeout && c.connected().isDone()) {
                    ch.close();
                }
            }
        }
    }
}
