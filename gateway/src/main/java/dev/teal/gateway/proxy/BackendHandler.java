package dev.teal.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream side of one connection. Bound to the {@link FrontendHandler} whose request it carries, unbound while
 * it waits in the pool. It passes what it reads to the frontend and keeps the response (first byte) deadline: one
 * lazily re-armed timer per connection rather than one per request. The frontend finds it with {@link #of}, never by
 * pipeline name.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);
    private static final AttributeKey<BackendHandler> KEY = AttributeKey.valueOf("teal.backend");

    private final UpstreamResponseDecoder decoder;
    private final HttpRequestEncoder encoder;
    private ChannelHandlerContext ctx;
    private FrontendHandler frontend;
    private Exchange exchange;
    private long responseDeadline = Long.MAX_VALUE;
    private ScheduledFuture<?> timer;

    BackendHandler(UpstreamResponseDecoder decoder, HttpRequestEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /** The handler of an upstream channel set up by {@link UpstreamInitializer}. */
    static BackendHandler of(Channel upstream) {
        return upstream.attr(KEY).get();
    }

    /** The connection became a tunnel (101 Switching Protocols): bytes pass as they are from now on. */
    void removeCodecs() {
        ctx.pipeline().remove(encoder);
        ctx.pipeline().remove(decoder);
    }

    void bind(FrontendHandler f, Exchange ex) {
        this.frontend = f;
        this.exchange = ex;
        decoder.expectingHead(ex.head);
    }

    void unbind() {
        this.frontend = null;
        this.exchange = null;
        responseDeadline = Long.MAX_VALUE;
    }

    /** The request is fully sent: the first response byte is due within {@code nanos}. */
    void awaitResponse(long nanos) {
        responseDeadline = System.nanoTime() + nanos;
        if (timer == null) {
            timer = ctx.executor().schedule(this::checkDeadline, nanos, TimeUnit.NANOSECONDS);
        }
    }

    void responseArrived() {
        responseDeadline = Long.MAX_VALUE;
    }

    private void checkDeadline() {
        timer = null;
        long deadline = responseDeadline;
        if (deadline == Long.MAX_VALUE || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(this::checkDeadline, left, TimeUnit.NANOSECONDS);
            return;
        }
        responseDeadline = Long.MAX_VALUE;
        if (frontend != null) {
            frontend.upstreamTimedOut(exchange);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(KEY).set(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FrontendHandler f = frontend;
        if (f == null) {
            // an idle pooled connection got something it did not ask for: it cannot be trusted with a request
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        f.upstreamRead(exchange, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FrontendHandler f = frontend;
        if (f != null) {
            f.upstreamReadComplete(exchange);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        FrontendHandler f = frontend;
        if (f != null && ctx.channel().isWritable()) {
            f.upstreamWritable(exchange);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        FrontendHandler f = frontend;
        if (f != null) {
            f.upstreamClosed(exchange);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // resets and the like are expected on a network; the frontend learns of it from channelInactive
        LOG.atDebug().addKeyValue("upstream", ctx.channel().remoteAddress()).addKeyValue("error", cause.toString())
                .log("upstream connection error");
        ctx.close();
    }
}
