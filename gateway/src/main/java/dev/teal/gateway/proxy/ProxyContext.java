package dev.teal.gateway.proxy;

import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.metrics.TealMeters;
import dev.teal.gateway.routing.Router;
import dev.teal.gateway.upstream.LoopPools;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** What every client connection shares: routing, pools, settings, meters, and the shutdown state. */
public final class ProxyContext {
    /** Fired on every client connection during shutdown: close it if no request is in flight. */
    public static final Object CLOSE_IF_IDLE = new Object();

    private final Router router;
    private final LoopPools loopPools;
    private final AtomicInteger clientConnections = new AtomicInteger();
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final Counter badRequests;
    private final Counter noRoute;
    private final Counter tooLarge;
    private final Counter overloaded;
    private final Counter timeouts;
    private final GatewayMetrics metrics;
    private volatile Counter previewRefused;
    private volatile ProxySettings settings;
    private volatile boolean shuttingDown;

    public ProxyContext(Router router, LoopPools loopPools, GatewayMetrics metrics, ProxySettings settings) {
        this.router = router;
        this.loopPools = loopPools;
        this.settings = settings;
        this.metrics = metrics;
        metrics.gauge(TealMeters.CLIENT_CONNECTIONS, TealMeters.CLIENT_CONNECTIONS_HELP, Tags.empty(),
                clientConnections, AtomicInteger::get);
        badRequests = metrics.rejected("bad_request");
        noRoute = metrics.rejected("no_route");
        tooLarge = metrics.rejected("too_large");
        overloaded = metrics.rejected("overloaded");
        timeouts = metrics.rejected("timeout");
    }

    public Router router() {
        return router;
    }

    LoopPools loopPools() {
        return loopPools;
    }

    ProxySettings settings() {
        return settings;
    }

    public void update(ProxySettings s) {
        this.settings = s;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** From now on responses carry {@code Connection: close} and idle connections are closed. */
    public void startShutdown() {
        shuttingDown = true;
        clients.forEach(ch -> ch.pipeline().fireUserEventTriggered(CLOSE_IF_IDLE));
    }

    public int openClientConnections() {
        return clientConnections.get();
    }

    public ChannelGroup clients() {
        return clients;
    }

    /** Registers a new client connection; false when {@code maxConnections} is reached. */
    boolean clientOpened(Channel ch) {
        int n = clientConnections.incrementAndGet();
        clients.add(ch);
        int max = settings.maxConnections();
        return max == 0 || n <= max;
    }

    void clientClosed() {
        clientConnections.decrementAndGet();
    }

    void countBadRequest() {
        badRequests.increment();
    }

    void countNoRoute() {
        noRoute.increment();
    }

    void countTooLarge() {
        tooLarge.increment();
    }

    void countOverloaded() {
        overloaded.increment();
    }

    /** A preview the gateway refused (unknown color, no usable endpoint); the series appears at the first one. */
    void countPreviewRefused() {
        Counter c = previewRefused;
        if (c == null) {
            c = metrics.rejected("preview");
            previewRefused = c;
        }
        c.increment();
    }

    void countTimeout() {
        timeouts.increment();
    }
}
