package dev.teal.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What belongs to an HTTP/2 client connection rather than to its streams: it is counted against
 * {@code limits.maxConnections} (over it: GOAWAY and close), it closes when it has had no open stream for
 * {@code timeouts.clientIdle}, and at shutdown it closes gracefully: the frame codec sends GOAWAY with the last stream
 * id and waits for the open streams (up to {@code shutdown.timeout}). Connection errors (a flood, rapid reset, a
 * header block over the limit) are answered by the codec with GOAWAY; this logs them as one line.
 */
final class Http2ClientConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(Http2ClientConnection.class);

    private final ProxyContext proxy;
    private final Http2FrameCodec codec;
    private boolean counted;
    private String clientIp = "unknown";

    Http2ClientConnection(ProxyContext proxy, Http2FrameCodec codec) {
        this.proxy = proxy;
        this.codec = codec;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            opened(ctx); // installed after the connection started (h2c detection, ALPN)
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        opened(ctx);
        ctx.fireChannelActive();
    }

    private void opened(ChannelHandlerContext ctx) {
        if (counted) {
            return;
        }
        counted = true;
        Channel ch = ctx.channel();
        if (ch.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            clientIp = remote.getAddress().getHostAddress();
        }
        if (!proxy.clientOpened(ch)) {
            proxy.countOverloaded();
            LOG.atDebug().addKeyValue("client", clientIp).log("http2 connection refused: too many connections");
            ch.close(); // through the codec: GOAWAY, then close
            return;
        }
        if (proxy.isShuttingDown()) {
            ch.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            counted = false;
            proxy.clientClosed();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ProxyContext.CLOSE_IF_IDLE || evt instanceof ChannelInputShutdownEvent) {
            // graceful: GOAWAY with the last stream id; open streams may finish (a client that shut down its write
            // side sends no more frames, but its open streams are still answered)
            ctx.channel().close();
            return;
        }
        if (evt instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                LOG.atDebug().addKeyValue("client", clientIp).log("idle http2 connection closed");
                ctx.channel().close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Exception h2 = Http2Exception.class.isInstance(cause) ? (Http2Exception) cause : null;
        Throwable c = cause;
        while (h2 == null && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
            if (c instanceof Http2Exception e) {
                h2 = e;
            }
        }
        LOG.atInfo().addKeyValue("client", clientIp)
                .addKeyValue("error", h2 != null ? h2.error().name() : cause.getClass().getSimpleName())
                .addKeyValue("reason", String.valueOf(h2 != null ? h2.getMessage() : cause.getMessage()))
                .log("http2 connection error");
        if (h2 == null) {
            ctx.channel().close(); // an HTTP/2 error is the codec's to answer: GOAWAY with its code, then close
        }
    }
}
