package dev.teal.gateway.proxy;

import dev.teal.gateway.upstream.UpstreamConnection;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;

/**
 * Pipeline of an HTTP/2 cleartext (h2c, prior knowledge) upstream connection: the frame codec (no server push, the
 * 64 KiB header-list limit), the stream multiplexer, and a listener that tells the pool how many streams the upstream
 * allows and when it said GOAWAY. Each request is a stream whose pipeline {@link #stream} builds: the stream codec
 * (HTTP/1.1 objects to frames and back), {@link Http2ResponseAdapter}, and a {@link BackendHandler}.
 */
@ChannelHandler.Sharable
public final class Http2UpstreamInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_HEADER_LIST = 64 * 1024;

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("h2", Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                                .maxHeaderListSize(MAX_HEADER_LIST))
                        .validateHeaders(true)
                        .build())
                .addLast("h2-streams", new Http2MultiplexHandler(new RefusePush()))
                .addLast("h2-settings", new PeerSettings());
    }

    /** The pipeline of one request's stream. */
    static ChannelHandler stream() {
        return STREAM;
    }

    private static final ChannelHandler STREAM = new StreamInitializer();

    @ChannelHandler.Sharable
    private static final class StreamInitializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false, true))
                    .addLast(new Http2ResponseAdapter())
                    .addLast("backend", BackendHandler.forStream());
        }
    }

    /** Streams the upstream opens (pushes, though disabled) are reset. */
    @ChannelHandler.Sharable
    private static final class RefusePush extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.close();
        }
    }

    /** The upstream's stream limit and GOAWAY, for the pool. */
    private static final class PeerSettings extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                UpstreamConnection c = UpstreamConnection.of(ctx.channel());
                if (c != null && msg instanceof Http2SettingsFrame s && s.settings().maxConcurrentStreams() != null) {
                    c.maxStreams(s.settings().maxConcurrentStreams());
                } else if (c != null && msg instanceof Http2GoAwayFrame) {
                    c.goneAway();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the streams learn it as their close
        }
    }
}
