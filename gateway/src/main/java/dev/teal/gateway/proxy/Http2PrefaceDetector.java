package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * On a plaintext listener with {@code http2.h2c: true}: tells HTTP/2 with prior knowledge (the 24-byte connection
 * preface {@code PRI * HTTP/2.0...}) from HTTP/1.1 by the first bytes, installs the matching pipeline after itself
 * and leaves; the bytes it looked at go on to the chosen pipeline. A client that sends nothing within
 * {@code timeouts.header} is closed.
 */
final class Http2PrefaceDetector extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ProxyContext proxy;
    private final Consumer<ChannelPipeline> http1;
    private final Http2Frontend http2;
    private ScheduledFuture<?> timer;

    Http2PrefaceDetector(ProxyContext proxy, Consumer<ChannelPipeline> http1, Http2Frontend http2) {
        this.proxy = proxy;
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> {
            ctx.close(); // nothing, or only a part of the preface, within the header timeout
        }, proxy.settings().headerNanos(), TimeUnit.NANOSECONDS);
        ctx.read(); // the listener's connections do not read on their own
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        if (!ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n)) {
            choose(ctx, false);
        } else if (n == PREFACE.readableBytes()) {
            choose(ctx, true);
        }
        // else: a prefix of the preface so far; wait for more
    }

    private void choose(ChannelHandlerContext ctx, boolean h2) {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        ChannelPipeline p = ctx.pipeline();
        if (h2) {
            http2.install(p);
        } else {
            http1.accept(p); // ProxyInitializer#installHttp1: the frontend starts its connection (count, header timeout)
        }
        p.remove(this); // hands what it holds to the chosen pipeline
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        if (!ctx.isRemoved()) {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        super.channelInactive(ctx);
    }
}
