package dev.teal.gateway.proxy;

import dev.teal.gateway.upstream.UpstreamConnection;
import dev.teal.gateway.upstream.UpstreamErrorKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream side of one connection, and the response side of the exchange it carries. Bound to the
 * {@link FrontendHandler} whose request it carries, unbound while it waits in the pool. It checks and rewrites the
 * response head (holding it back until content follows or the read ends, so that a 502 can still replace it), writes
 * the response to the client with backpressure (upstream auto-read off while the client is not writable), and hands
 * the ends (last content, close, timeout) to the frontend, which owns the exchange. It keeps the response (first
 * byte) deadline: one lazily re-armed timer per connection rather than one per request. The frontend finds it with
 * {@link #of}, never by pipeline name.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(BackendHandler.class);
    private static final AttributeKey<BackendHandler> KEY = AttributeKey.valueOf("teal.backend");

    /** The HTTP/1.1 codecs of the connection; both null on an HTTP/2 stream (its codec frames the messages). */
    private final UpstreamResponseDecoder decoder;
    private final HttpRequestEncoder encoder;
    private ChannelHandlerContext ctx;
    private FrontendHandler frontend;
    private Exchange exchange;
    /** What the pool knows of this channel; looked up once (the pool sets it after the pipeline is built). */
    private UpstreamConnection connection;
    private long responseDeadline = Long.MAX_VALUE;
    private ScheduledFuture<?> timer;

    BackendHandler(UpstreamResponseDecoder decoder, HttpRequestEncoder encoder) {
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /** The handler of one HTTP/2 upstream stream ({@link Http2UpstreamInitializer}). */
    static BackendHandler forStream() {
        return new BackendHandler(null, null);
    }

    /** The handler of an upstream channel set up by {@link UpstreamInitializer} or a stream's. */
    static BackendHandler of(Channel upstream) {
        return upstream.attr(KEY).get();
    }

    /** The pool's record of this channel (for a stream, its connection's), without an attribute lookup per request. */
    UpstreamConnection connection() {
        UpstreamConnection c = connection;
        if (c == null) {
            c = UpstreamConnection.of(ctx.channel());
            connection = c;
        }
        return c;
    }

    void bind(FrontendHandler f, Exchange ex) {
        this.frontend = f;
        this.exchange = ex;
        if (decoder != null) {
            decoder.expectingHead(ex.head);
        }
    }

    void unbind() {
        this.frontend = null;
        this.exchange = null;
        responseDeadline = Long.MAX_VALUE;
    }

    /** The connection became a tunnel (101 Switching Protocols): bytes pass as they are from now on. */
    void removeCodecs() {
        ctx.pipeline().remove(encoder);
        ctx.pipeline().remove(decoder);
    }

    /** The request is fully sent: the first response byte is due within {@code nanos}. */
    void awaitResponse(long nanos) {
        responseDeadline = System.nanoTime() + nanos;
        if (timer == null) {
            timer = ctx.executor().schedule(this::checkDeadline, nanos, TimeUnit.NANOSECONDS);
        }
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

    // ---- the response ----------------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        FrontendHandler f = frontend;
        if (f == null) {
            // an idle pooled connection got something it did not ask for: it cannot be trusted with a request
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        Exchange ex = exchange;
        if (ex.state == Exchange.State.DONE) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (ex.state == Exchange.State.TUNNEL) {
            tunnelToClient(f, ex, msg);
            return;
        }
        if (msg instanceof HttpResponse res) {
            if (res.decoderResult().isFailure() || (res.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)
                    && !RequestChecks.isOnlyChunked(res.headers()))) {
                ReferenceCountUtil.release(msg);
                ex.endpoint.recordFailure(UpstreamErrorKind.RESET);
                f.failExchange(ex, HttpResponseStatus.BAD_GATEWAY, "upstream sent an invalid response",
                        !ex.requestComplete);
                return;
            }
            responseHead(f, ex, res);
            if (ex.state == Exchange.State.TUNNEL || !(msg instanceof HttpContent)) {
                return;
            }
        }
        if (msg instanceof HttpContent c) {
            responseContent(f, ex, c);
        } else if (!(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void responseHead(FrontendHandler f, Exchange ex, HttpResponse res) {
        responseDeadline = Long.MAX_VALUE;
        ex.endpoint.recordSuccess(); // an answer, not a connect, proves the endpoint works (ejection counts reset)
        int code = res.status().code();
        if (code == 101 && ex.upgrade) {
            f.startTunnel(ex, res);
            return;
        }
        if (code < 200) {
            ex.state = Exchange.State.INTERIM; // 1xx other than an accepted upgrade: the final answer follows
            return;
        }
        ex.status = code;
        ex.upstreamKeepAlive = HttpUtil.isKeepAlive(res);
        HeaderRules.prepareResponse(res, false);
        if (ex.setCookie != null) {
            res.headers().add(HttpHeaderNames.SET_COOKIE, ex.setCookie);
        }
        boolean keepAlive = ex.keepAlive && ex.requestComplete && !f.shuttingDown();
        if (!ex.head && code != 204 && code != 304 && !HttpUtil.isContentLengthSet(res)
                && !HttpUtil.isTransferEncodingChunked(res)) {
            if (ex.clientHttp10) {
                keepAlive = false; // the body ends when the connection does
            } else {
                HttpUtil.setTransferEncodingChunked(res, true);
            }
        }
        if (!keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (ex.clientHttp10) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ex.closeClientAfter = !keepAlive;
        res.setProtocolVersion(ex.clientHttp10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1);
        ex.heldHead = res; // written with the first content or at the end of this read; until then a 502 may replace it
        ex.state = Exchange.State.HEAD_HELD;
    }

    /** Writes the response head held back by {@link #responseHead}. */
    private static void writeHeldHead(FrontendHandler f, Exchange ex) {
        if (ex.state == Exchange.State.HEAD_HELD) {
            HttpResponse head = ex.heldHead;
            ex.heldHead = null;
            ex.state = Exchange.State.STREAMING;
            f.writeHead(ex, head);
        }
    }

    private void responseContent(FrontendHandler f, Exchange ex, HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        if (ex.state == Exchange.State.INTERIM) {
            c.release();
            if (last) {
                ex.state = Exchange.State.WAITING;
            }
            return;
        }
        if (ex.state != Exchange.State.HEAD_HELD && ex.state != Exchange.State.STREAMING) {
            c.release();
            return;
        }
        if (c.decoderResult().isFailure()) {
            c.release();
            ex.endpoint.recordFailure(UpstreamErrorKind.RESET);
            f.failExchange(ex, HttpResponseStatus.BAD_GATEWAY, "upstream sent an invalid response", !ex.requestComplete);
            return;
        }
        writeHeldHead(f, ex);
        ChannelHandlerContext client = f.client();
        client.write(c, client.voidPromise()); // no listener: a failed write closes the client
        if (!client.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false); // the frontend resumes it when the client is writable again
        }
        if (last) {
            f.responseEnded(ex);
        }
    }

    private void tunnelToClient(FrontendHandler f, Exchange ex, Object msg) {
        ByteBuf buf = TunnelBytes.of(msg);
        if (buf == null) {
            return;
        }
        ChannelHandlerContext client = f.client();
        client.write(buf, client.voidPromise());
        if (!client.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FrontendHandler f = frontend;
        if (f != null) {
            writeHeldHead(f, exchange);
            f.client().flush();
        }
    }

    // ---- the connection --------------------------------------------------------------------------------------

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
