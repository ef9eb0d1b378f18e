package dev.teal.gateway.upstream;

import dev.teal.contract.HealthCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health checks: every {@code interval}, one {@code GET path} per endpoint on a fresh connection. A 2xx or 3xx
 * within {@code timeout} is a success; thresholds of consecutive results flip {@link Endpoint#markHealthy}.
 */
public final class HealthChecker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final Map<Endpoint, Probe> probes = new HashMap<>();

    public HealthChecker(EventLoopGroup group, Class<? extends SocketChannel> channelClass) {
        this.group = group;
        this.channelClass = channelClass;
    }

    /** Starts (or restarts with new settings) the checks of an endpoint; null settings stop them and mark it healthy. */
    public synchronized void watch(Endpoint endpoint, HealthCheck check) {
        Probe old = probes.remove(endpoint);
        if (old != null) {
            if (old.check.equals(check)) {
                probes.put(endpoint, old);
                return;
            }
            old.stop();
        }
        if (check == null) {
            endpoint.markHealthy(true);
            return;
        }
        Probe p = new Probe(endpoint, check);
        probes.put(endpoint, p);
        p.start();
    }

    public synchronized void unwatch(Endpoint endpoint) {
        Probe p = probes.remove(endpoint);
        if (p != null) {
            p.stop();
        }
    }

    @Override
    public synchronized void close() {
        probes.values().forEach(Probe::stop);
        probes.clear();
    }

    private final class Probe {
        private final Endpoint endpoint;
        private final HealthCheck check;
        private final Bootstrap bootstrap;
        private volatile ScheduledFuture<?> schedule;
        private int successes;
        private int failures;

        Probe(Endpoint endpoint, HealthCheck check) {
            this.endpoint = endpoint;
            this.check = check;
            this.bootstrap = new Bootstrap().group(group).channel(channelClass)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) check.timeout().toMillis())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(),
                                    new ProbeHandler(Probe.this, check.timeout().toMillis()));
                        }
                    });
        }

        void start() {
            long interval = check.interval().toMillis();
            long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, interval / 4));
            schedule = group.next().scheduleAtFixedRate(this::probe, jitter, interval, TimeUnit.MILLISECONDS);
        }

        void stop() {
            ScheduledFuture<?> s = schedule;
            if (s != null) {
                s.cancel(false);
            }
        }

        private void probe() {
            ChannelFuture f = bootstrap.connect(endpoint.socketAddress());
            f.addListener(cf -> {
                if (!cf.isSuccess()) {
                    result(false, "connect failed");
                    return;
                }
                var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
                req.headers().set(HttpHeaderNames.HOST, endpoint.address().toString())
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                        .set(HttpHeaderNames.USER_AGENT, "teal-health-check");
                f.channel().writeAndFlush(req);
            });
        }

        void result(boolean ok, String why) {
            if (schedule == null || schedule.isCancelled()) {
                return;
            }
            synchronized (this) {
                if (ok) {
                    failures = 0;
                    if (++successes >= check.healthyThreshold() && !endpoint.isHealthy()) {
                        endpoint.markHealthy(true);
                        LOG.atInfo().addKeyValue("service", endpoint.pool().service())
                                .addKeyValue("color", endpoint.pool().color())
                                .addKeyValue("endpoint", endpoint.address()).log("endpoint healthy");
                    }
                } else {
                    successes = 0;
                    if (++failures >= check.unhealthyThreshold() && endpoint.isHealthy()) {
                        endpoint.markHealthy(false);
                        LOG.atWarn().addKeyValue("service", endpoint.pool().service())
                                .addKeyValue("color", endpoint.pool().color())
                                .addKeyValue("endpoint", endpoint.address()).addKeyValue("reason", why)
                                .log("endpoint unhealthy");
                    }
                }
            }
        }
    }

    /** One probe attempt on one connection; whatever happens first (answer, close, error, timeout) is its result. */
    private static final class ProbeHandler extends SimpleChannelInboundHandler<HttpObject> {
        private final Probe probe;
        private final long timeoutMillis;
        private boolean reported;
        private ScheduledFuture<?> timeout;

        ProbeHandler(Probe probe, long timeoutMillis) {
            this.probe = probe;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            timeout = ctx.executor().schedule(() -> report(ctx, false, "timeout"), timeoutMillis, TimeUnit.MILLISECONDS);
            ctx.fireChannelActive();
        }

        private void report(ChannelHandlerContext ctx, boolean ok, String why) {
            if (reported) {
                return;
            }
            reported = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            probe.result(ok, why);
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse r) {
                int code = r.status().code();
                report(ctx, code >= 200 && code < 400, "status " + code);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            report(ctx, false, "closed without answer");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            report(ctx, false, cause.getClass().getSimpleName());
        }
    }
}
