package dev.teal.gateway.proxy;

import dev.teal.contract.BackendProtocol;
import dev.teal.gateway.proxy.ClientTimeouts.Wait;
import dev.teal.gateway.routing.RouteKind;
import dev.teal.gateway.routing.ServiceRoute;
import dev.teal.gateway.routing.ServiceRuntime;
import dev.teal.gateway.routing.Steering;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import dev.teal.gateway.upstream.LoopConnectionPool;
import dev.teal.gateway.upstream.UpstreamErrorKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: the request side of each exchange, and how each exchange ends. Each request is routed when
 * its head is decoded: the routing snapshot is read once, so a request that starts after a switch goes to the new
 * color even on a keep-alive connection opened before it. The upstream connection comes from this event loop's pool;
 * its {@link BackendHandler} writes the response back and calls {@link #responseEnded}, {@link #failExchange},
 * {@link #upstreamClosed} or {@link #upstreamTimedOut}. Requests on one connection are handled one at a time;
 * pipelined ones wait in order. Auto-read is off: the client is read only when there is somewhere to put the bytes.
 * What the connection waits for, and until when, is {@link ClientTimeouts}.
 *
 * <p>One handler also serves one HTTP/2 stream ({@link #forStream}, built by {@link Http2Frontend}): a stream is a
 * connection that carries exactly one request. The HTTP/2 connection then owns what belongs to a connection (its
 * count and limit, GOAWAY, the idle timeout), and the stream codec frames the response, so there are no HTTP/1.1
 * codecs to hint; everything else (routing, limits, retries, backpressure, metrics, access log) is the same code.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);

    private static final String GRPC_STATUS = "grpc-status";
    private static final String GRPC_MESSAGE = "grpc-message";

    private final ProxyContext proxy;
    /** The HTTP/1.1 codecs of a connection; both null on an HTTP/2 stream. */
    private final ProxyRequestDecoder decoder;
    private final ProxyResponseEncoder encoder;
    private ChannelHandlerContext ctx;
    private LoopConnectionPool pool;
    private String clientIp = "unknown";
    private InetAddress clientAddress;
    private boolean trusted;
    /** The connection came in over TLS: {@code X-Forwarded-Proto: https}. */
    private boolean secure;

    private Exchange exchange;
    private ArrayDeque<Object> pending;
    private boolean discarding;
    private boolean closing;
    /** Between a client read's first message and its end: upstream writes wait for the end of the read. */
    private boolean reading;
    /** The request being answered is a HEAD: the gateway's own answers to it carry no body either. */
    private boolean headRequest;
    /** The client shut down its write side: requests already received are answered, then the connection closes. */
    private boolean inputClosed;

    /** The head being refused and its route, if known, for the access-log line of an answer the gateway gives. */
    private HttpRequest refusedHead;
    private ServiceRoute refusedRoute;

    private ClientTimeouts timeouts;

    FrontendHandler(ProxyContext proxy, ProxyRequestDecoder decoder, ProxyResponseEncoder encoder) {
        this.proxy = proxy;
        this.decoder = decoder;
        this.encoder = encoder;
    }

    /** The handler of one HTTP/2 stream (a child channel); its connection is counted by {@link Http2Frontend}. */
    static FrontendHandler forStream(ProxyContext proxy) {
        return new FrontendHandler(proxy, null, null);
    }

    /** A client connection of its own (HTTP/1.1), rather than one stream of an HTTP/2 connection. */
    private boolean ownsConnection() {
        return encoder != null;
    }

    /** Tells the HTTP/1.1 encoder whether the next head answers a HEAD; a stream codec needs no hint. */
    private void answeringHead(boolean head) {
        if (encoder != null) {
            encoder.answeringHead(head);
        }
    }

    // ---- connection lifecycle -------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timeouts = new ClientTimeouts(ctx, proxy, this::timedOut);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        secure = cameOverTls(ch);
        if (ownsConnection() && !proxy.clientOpened(ch)) {
            proxy.countOverloaded();
            respondAndClose(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many connections");
            return;
        }
        pool = proxy.loopPools().forLoop(ch.eventLoop());
        if (ch.remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null) {
            clientAddress = remote.getAddress();
            clientIp = clientAddress.getHostAddress();
            trusted = proxy.settings().isTrusted(remote.getAddress());
        }
        timeouts.waitFor(Wait.HEAD, proxy.settings().headerNanos());
        readClient();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ownsConnection()) {
            proxy.clientClosed();
        }
        timeouts.cancel();
        Exchange ex = exchange;
        if (ex != null && ex.state != Exchange.State.DONE) {
            finish(ex, 0, false); // the client went away; nothing to record as a response
        }
        if (pending != null) {
            Object m;
            while ((m = pending.poll()) != null) {
                ReferenceCountUtil.release(m);
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            clientInputClosed();
            return;
        }
        if (evt == ProxyContext.CLOSE_IF_IDLE) {
            if (exchange == null && !discarding && (pending == null || pending.isEmpty())) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.atDebug().addKeyValue("client", clientIp).addKeyValue("error", cause.toString()).log("client connection error");
        ctx.close();
    }

    /** Asks for more of the client's bytes, unless it has shut down its write side (nothing more can come). */
    private void readClient() {
        if (!inputClosed) {
            ctx.read();
        }
    }

    /**
     * The client half-closed (shutdown of its write side, as {@code curl} or a load balancer may do after sending a
     * request). A request received whole is still answered, then the connection closes; anything else ends now.
     */
    private void clientInputClosed() {
        inputClosed = true;
        Exchange ex = exchange;
        boolean answering = ex != null && ex.requestComplete && ex.state != Exchange.State.DONE
                && ex.state != Exchange.State.TUNNEL;
        boolean queued = pending != null && !pending.isEmpty();
        if (!answering && !queued && !closing) {
            ctx.close();
        }
    }

    // ---- client input -----------------------------------------------------------------------------------------

    void bytesArrived() {
        timeouts.bytesArrived();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        Exchange ex = exchange;
        if (ex != null && ex.state == Exchange.State.TUNNEL) {
            tunnelFromClient(ex, msg);
            return;
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if ((pending != null && !pending.isEmpty()) || (ex != null && msg instanceof HttpRequest)) {
            if (pending == null) {
                pending = new ArrayDeque<>(4);
            }
            pending.add(msg); // pipelined: handled when the request before it has been answered
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest req) {
            startRequest(req);
            if (msg instanceof HttpContent c) {
                // only the decoder's "invalid message" is request and content at once; startRequest refused it
                c.release();
            }
        } else if (msg instanceof HttpContent c) {
            requestContent(c);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reading = false;
        Exchange ex = exchange;
        if (ex == null || ex.upstream == null) {
            return;
        }
        if (ex.unflushed) {
            ex.unflushed = false;
            ex.upstream.flush();
        }
        if ((ex.state == Exchange.State.TUNNEL || !ex.requestComplete) && ex.upstream.isWritable()) {
            readClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Exchange ex = exchange;
        if (ctx.channel().isWritable() && ex != null && ex.upstream != null) {
            ex.upstream.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void startRequest(HttpRequest req) {
        headRequest = req.method() == HttpMethod.HEAD;
        ProxySettings s = proxy.settings();
        refusedHead = req;
        refusedRoute = null;
        RequestChecks.Refusal refusal = RequestChecks.check(req, s.maxHeaders());
        if (refusal != null) {
            proxy.countBadRequest();
            respondAndClose(refusal.status(), refusal.text());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean hasBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
        if (!secure) {
            String location = s.sslRedirect().location(req.headers().get(HttpHeaderNames.HOST), req.uri());
            if (location != null) {
                redirect(location, keepAlive && !hasBody);
                return;
            }
        }
        ServiceRoute route = proxy.router().current().route(req.headers().get(HttpHeaderNames.HOST), req.uri());
        if (route == null) {
            proxy.countNoRoute();
            refuse(HttpResponseStatus.NOT_FOUND, "no route for this host and path", keepAlive && !hasBody);
            return;
        }
        refusedRoute = route;
        ServiceRuntime service = route.service();
        ColorPool color = route.serving();
        Steering steering = service.steering();
        Steering.Choice choice = null;
        if (steering != null) {
            // preview or sticky: the request may name its color (routing decides; see Steering)
            choice = steering.choose(route, req.headers(), clientAddress, trusted);
            if (choice.refusal() != null) {
                proxy.countPreviewRefused();
                refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, choice.refusal(), keepAlive && !hasBody);
                return;
            }
            color = choice.pool();
        }
        RouteKind kind = choice == null ? RouteKind.SERVING : choice.kind();
        long maxBody = service.config().maxBodySize();
        if (maxBody > 0 && HttpUtil.getContentLength(req, -1L) > maxBody) {
            proxy.countTooLarge();
            record(color, kind, 413, 0);
            refuse(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large", false);
            return;
        }
        boolean started;
        if (choice == null) {
            started = service.tryStartRequest(color);
        } else {
            choice = steering.start(route, choice);
            started = choice != null;
            if (started) {
                color = choice.pool();
                kind = choice.kind();
            }
        }
        if (!started) {
            proxy.countOverloaded();
            record(color, kind, 503, 0);
            refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, "service overloaded", keepAlive && !hasBody);
            return;
        }
        Endpoint endpoint = color.pick(null);
        if (endpoint == null) {
            color.requestEnded();
            record(color, kind, 503, 0);
            refuse(HttpResponseStatus.SERVICE_UNAVAILABLE, kind == RouteKind.PREVIEW
                    ? "preview: color '" + color.color() + "' of service " + service.name() + " has no usable endpoint"
                    : "no healthy endpoint",
                    keepAlive && !hasBody);
            return;
        }
        if (steering != null) {
            steering.strip(req.headers());
        }
        boolean upgrade = HeaderRules.isUpgrade(req);
        boolean expectContinue = HttpUtil.is100ContinueExpected(req);
        boolean http10 = req.protocolVersion() == HttpVersion.HTTP_1_0;
        HeaderRules.prepareRequest(req, upgrade, clientIp, trusted, secure);
        Exchange ex = new Exchange(service, color, endpoint, req, keepAlive, http10, upgrade,
                req.method() == HttpMethod.HEAD, expectContinue, System.nanoTime());
        if (choice != null) {
            ex.route = kind;
            String cookie = choice.setCookie();
            ex.setCookie = cookie != null && secure ? cookie + "; Secure" : cookie; // a browser sends it back on https only
        }
        endpoint.requestStarted();
        refusedHead = null;
        refusedRoute = null;
        exchange = ex;
        timeouts.waitFor(hasBody ? Wait.BODY : Wait.NONE, s.bodyNanos());
        acquire(ex);
    }

    private void requestContent(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        Exchange ex = exchange;
        if (discarding || ex == null || ex.state == Exchange.State.DONE) {
            c.release();
            if (discarding && last) {
                discarding = false;
                readyForNext();
            }
            return;
        }
        if (c.decoderResult().isFailure()) {
            c.release();
            proxy.countBadRequest();
            failExchange(ex, HttpResponseStatus.BAD_REQUEST, "bad request body", true);
            return;
        }
        ex.bodyBytes += c.content().readableBytes();
        long maxBody = ex.service.config().maxBodySize();
        if (maxBody > 0 && ex.bodyBytes > maxBody) {
            c.release();
            proxy.countTooLarge();
            failExchange(ex, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body too large", true);
            return;
        }
        if (last) {
            ex.requestComplete = true;
            timeouts.stop();
        }
        if (ex.upstream == null) {
            ex.queue(c);
            return;
        }
        ex.bodySent = true;
        ex.upstream.write(c, ex.upstream.voidPromise()); // a failed write closes the connection: no listener needed
        ex.unflushed = true;
        if (last) {
            ex.unflushed = false;
            ex.upstream.flush();
            ex.backend.awaitResponse(proxy.settings().responseNanos());
        }
    }

    // ---- upstream connection --------------------------------------------------------------------------------

    private void acquire(Exchange ex) {
        if (ex.service.config().protocol() == BackendProtocol.H2C) {
            acquireStream(ex);
            return;
        }
        Channel idle = pool.pollIdle(ex.endpoint);
        if (idle != null) {
            attach(ex, idle);
            return;
        }
        if (!pool.mayOpen(ex.endpoint)) {
            retryOrFail(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream connection limit reached");
            return;
        }
        ChannelFuture f = pool.connect(ex.endpoint);
        ex.connecting = f.channel();
        f.addListener((ChannelFutureListener) cf -> connected(ex, cf));
    }

    private void connected(Exchange ex, ChannelFuture f) {
        ex.connecting = null;
        if (exchange != ex || ex.state == Exchange.State.DONE) {
            f.channel().close();
            return;
        }
        if (!f.isSuccess()) {
            connectFailed(ex, f.cause());
            return;
        }
        attach(ex, f.channel());
    }

    /** The endpoint did not accept a connection: counted against it, then another endpoint or a 502. */
    private void connectFailed(Exchange ex, Throwable cause) {
        ex.endpoint.recordFailure(UpstreamErrorKind.CONNECT);
        LOG.atDebug().addKeyValue("service", ex.service.name()).addKeyValue("color", ex.pool.color())
                .addKeyValue("endpoint", ex.endpoint.address()).addKeyValue("error", String.valueOf(cause))
                .log("upstream connect failed");
        retryOrFail(ex, HttpResponseStatus.BAD_GATEWAY, "upstream connect failed");
    }

    /**
     * h2c upstream: a stream on an HTTP/2 connection of this loop to the endpoint (opened if none has room). The
     * request then goes as with HTTP/1.1; the stream is used once ({@code pool.release} closes it).
     */
    private void acquireStream(Exchange ex) {
        ChannelFuture conn = pool.streamConnection(ex.endpoint);
        if (conn == null) {
            retryOrFail(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream connection limit reached");
            return;
        }
        if (conn.isDone()) {
            streamConnected(ex, conn);
        } else {
            conn.addListener((ChannelFutureListener) cf -> streamConnected(ex, cf));
        }
    }

    private void streamConnected(Exchange ex, ChannelFuture f) {
        if (exchange != ex || ex.state == Exchange.State.DONE) {
            return; // the connection stays for other streams
        }
        if (!f.isSuccess() || !f.channel().isActive()) {
            connectFailed(ex, f.cause());
            return;
        }
        pool.openStream(f.channel(), Http2UpstreamInitializer.stream()).addListener(o -> {
            @SuppressWarnings("unchecked")
            Future<Http2StreamChannel> sf = (Future<Http2StreamChannel>) o;
            if (!sf.isSuccess()) {
                if (exchange == ex && ex.state != Exchange.State.DONE) {
                    ex.endpoint.recordFailure(UpstreamErrorKind.RESET);
                    retryOrFail(ex, HttpResponseStatus.BAD_GATEWAY, "upstream stream failed");
                }
                return;
            }
            Http2StreamChannel stream = sf.getNow();
            if (exchange != ex || ex.state == Exchange.State.DONE) {
                stream.close();
                return;
            }
            ex.request.headers().set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS); // gRPC servers ask for it
            attach(ex, stream);
        });
    }

    /** Another endpoint of the same color, if nothing of the request has been sent yet; else an error answer. */
    private void retryOrFail(Exchange ex, HttpResponseStatus status, String text) {
        if (proxy.settings().attempts().retry(ex) != null) {
            acquire(ex);
            return;
        }
        failExchange(ex, status, text, !ex.requestComplete);
    }

    private void attach(Exchange ex, Channel upstream) {
        BackendHandler backend = BackendHandler.of(upstream);
        ex.upstream = upstream;
        ex.backend = backend;
        backend.bind(this, ex);
        boolean reused = backend.connection().requests() > 1;
        upstream.write(ex.request).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                headWriteFailed(ex, f, reused);
            }
        });
        if (ex.queued != null) {
            HttpContent c;
            while ((c = ex.queued.poll()) != null) {
                ex.bodySent = true;
                upstream.write(c, upstream.voidPromise());
            }
        }
        if (reading) {
            // flushed when this client read ends: a refusal later in the same read (a bad chunk) sends nothing
            ex.unflushed = true;
        } else {
            upstream.flush();
        }
        if (ex.requestComplete) {
            backend.awaitResponse(proxy.settings().responseNanos());
        } else {
            if (ex.expectContinue) {
                answeringHead(false);
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
            }
            if (upstream.isWritable()) {
                readClient();
            }
        }
    }

    /** The head could not be written: on a reused connection that the upstream had just closed, try again. */
    private void headWriteFailed(Exchange ex, ChannelFuture f, boolean reused) {
        if (exchange != ex || !ex.awaitingResponse()) {
            return;
        }
        Channel ch = f.channel();
        BackendHandler.of(ch).unbind();
        ex.upstream = null;
        ex.backend = null;
        ch.close();
        if (reused && !ex.bodySent) {
            LOG.atDebug().addKeyValue("service", ex.service.name()).addKeyValue("color", ex.pool.color())
                    .addKeyValue("endpoint", ex.endpoint.address()).log("pooled upstream connection was closed; retrying");
            acquire(ex);
        } else {
            ex.endpoint.recordFailure(UpstreamErrorKind.RESET);
            failExchange(ex, HttpResponseStatus.BAD_GATEWAY, "upstream failed", !ex.requestComplete);
        }
    }

    // ---- upstream events (called by BackendHandler, which owns the response side) ---------------------------

    /** The client's context: the backend writes the response to it. */
    ChannelHandlerContext client() {
        return ctx;
    }

    boolean shuttingDown() {
        return proxy.isShuttingDown();
    }

    /** Writes a response head the backend held back; the encoder must know whether it answers a HEAD. */
    void writeHead(Exchange ex, HttpResponse head) {
        answeringHead(ex.head);
        ctx.write(head, ctx.voidPromise());
    }

    void upstreamWritable(Exchange ex) {
        if (ex == exchange && ex != null && (ex.state == Exchange.State.TUNNEL || !ex.requestComplete)) {
            readClient();
        }
    }

    void upstreamClosed(Exchange ex) {
        if (ex != exchange || ex == null || ex.state == Exchange.State.DONE) {
            return;
        }
        if (ex.state == Exchange.State.TUNNEL) {
            finish(ex, 0, false);
            closeAfterFlush();
            return;
        }
        ex.endpoint.recordFailure(UpstreamErrorKind.RESET);
        if (ex.state != Exchange.State.STREAMING) {
            failExchange(ex, HttpResponseStatus.BAD_GATEWAY, "upstream closed the connection", !ex.requestComplete);
        } else {
            finish(ex, HttpResponseStatus.BAD_GATEWAY.code(), false); // truncated: the client must not take it as whole
            cutResponse(ex);
        }
    }

    void upstreamTimedOut(Exchange ex) {
        if (ex != exchange || ex == null || !ex.awaitingResponse()) {
            return;
        }
        ex.endpoint.recordFailure(UpstreamErrorKind.TIMEOUT);
        failExchange(ex, HttpResponseStatus.GATEWAY_TIMEOUT, "upstream timed out", !ex.requestComplete);
    }

    // ---- upgraded connections ---------------------------------------------------------------------------------

    /** The upstream accepted an upgrade (101): the client side becomes a byte tunnel; the backend's follows. */
    void startTunnel(Exchange ex, HttpResponse res) {
        ex.state = Exchange.State.TUNNEL;
        ex.requestComplete = true;
        ex.status = 101;
        timeouts.stop();
        HeaderRules.prepareResponse(res, true);
        answeringHead(false);
        ctx.writeAndFlush(res);
        ctx.pipeline().remove(encoder);
        ctx.pipeline().remove(decoder); // bytes it still held come to channelRead as ByteBuf
        ex.backend.removeCodecs();
        LOG.atDebug().addKeyValue("service", ex.service.name()).addKeyValue("color", ex.pool.color())
                .log("connection upgraded");
        readClient();
    }

    private void tunnelFromClient(Exchange ex, Object msg) {
        ByteBuf buf = TunnelBytes.of(msg);
        if (buf == null) {
            return;
        }
        ex.upstream.write(buf, ex.upstream.voidPromise());
        ex.unflushed = true;
    }

    // ---- ends -------------------------------------------------------------------------------------------------

    /** The last of the response went to the client: the exchange ends, and the next request may start. */
    void responseEnded(Exchange ex) {
        boolean reusable = ex.upstreamKeepAlive && ex.requestComplete;
        finish(ex, ex.status, reusable);
        if (ex.closeClientAfter || !ex.requestComplete) {
            closeAfterFlush();
        } else {
            ctx.flush();
            readyForNext();
        }
    }

    /** Answers an exchange that failed before its response started; closes the client if it must. */
    void failExchange(Exchange ex, HttpResponseStatus status, String text, boolean close) {
        if (ex.state == Exchange.State.STREAMING || ex.state == Exchange.State.TUNNEL) {
            finish(ex, status.code(), false);
            cutResponse(ex);
            return;
        }
        ex.heldHead = null; // not on the wire yet: the error answer replaces it
        boolean closeClient = close || !ex.keepAlive || proxy.isShuttingDown();
        finish(ex, status.code(), false);
        answeringHead(ex.head);
        ctx.write(ErrorResponses.of(status, text, closeClient));
        if (closeClient) {
            closeAfterFlush();
        } else {
            ctx.flush();
            readyForNext();
        }
    }

    /** Ends the exchange once: meters, in-flight counts, and the upstream connection back to the pool or closed. */
    private void finish(Exchange ex, int status, boolean reusable) {
        if (ex.state == Exchange.State.DONE) {
            return;
        }
        boolean tunnel = ex.state == Exchange.State.TUNNEL;
        ex.state = Exchange.State.DONE;
        if (exchange == ex) {
            exchange = null;
        }
        long nanos = System.nanoTime() - ex.startNanos;
        if (status >= 200) {
            record(ex.pool, ex.route, status, nanos);
        }
        ex.releaseQueued();
        Channel up = ex.upstream;
        if (up != null) {
            BackendHandler b = ex.backend;
            if (b != null) {
                b.unbind();
            }
            if (!up.config().isAutoRead()) {
                up.config().setAutoRead(true);
            }
            if (tunnel) {
                up.close();
            } else {
                pool.release(up, b == null ? null : b.connection(), reusable);
            }
        } else if (ex.connecting != null) {
            ex.connecting.close();
        }
        ex.endpoint.requestEnded();
        ex.pool.requestEnded();
        if (proxy.settings().accessLog()) {
            AccessLog.forwarded(ex, status, nanos, clientIp, secure);
        }
    }

    /** A previewed request is counted apart, so it never moves the color's own signals. */
    private static void record(ColorPool color, RouteKind kind, int status, long nanos) {
        if (kind == RouteKind.PREVIEW) {
            color.recordPreview(status);
        } else {
            color.recordRequest(status, nanos);
        }
    }

    /** The next request on this connection may start: one already received, or a read for one. */
    private void readyForNext() {
        if (closing) {
            return;
        }
        if (proxy.isShuttingDown() && exchange == null && !discarding) {
            closeAfterFlush();
            return;
        }
        while (pending != null && !pending.isEmpty() && !closing) {
            if (exchange != null && pending.peek() instanceof HttpRequest) {
                return; // the next pipelined request waits for this one's answer
            }
            dispatch(pending.poll());
        }
        if (closing) {
            return;
        }
        if (exchange == null) {
            headRequest = false;
            if (inputClosed && !discarding) {
                closeAfterFlush(); // nothing more can arrive
                return;
            }
            if (!discarding) {
                timeouts.waitFor(Wait.IDLE, proxy.settings().clientIdleNanos());
            }
            readClient();
        }
    }

    /** A request the gateway answers itself; the connection stays open only when nothing of the request is left. */
    private void refuse(HttpResponseStatus status, String text, boolean keepOpen) {
        if (!keepOpen || proxy.isShuttingDown() || inputClosed) {
            respondAndClose(status, text);
            return;
        }
        logRefusal(status, text);
        answeringHead(headRequest);
        ctx.writeAndFlush(ErrorResponses.of(status, text, false));
        discarding = true; // swallow the request's (empty) last content, then go on
        timeouts.stop();
    }

    /** A plain-HTTP request for a host that is served over HTTPS only: {@code 308} to the same URL on https. */
    private void redirect(String location, boolean keepOpen) {
        boolean close = !keepOpen || proxy.isShuttingDown() || inputClosed;
        logRefusal(HttpResponseStatus.PERMANENT_REDIRECT, "redirect to https");
        answeringHead(headRequest);
        if (close) {
            ctx.write(ErrorResponses.redirect(location, true));
            closeAfterFlush();
            return;
        }
        ctx.writeAndFlush(ErrorResponses.redirect(location, false));
        discarding = true; // swallow the request's (empty) last content, then go on
        timeouts.stop();
    }

    /** Whether the client's connection is TLS: this channel's pipeline, or an HTTP/2 stream's parent connection. */
    private static boolean cameOverTls(Channel ch) {
        Channel connection = ch instanceof Http2StreamChannel ? ch.parent() : ch;
        return connection.pipeline().get(SslHandler.class) != null;
    }

    private void respondAndClose(HttpResponseStatus status, String text) {
        logRefusal(status, text);
        answeringHead(headRequest);
        ctx.write(ErrorResponses.of(status, text, true));
        closeAfterFlush();
    }

    /** The access-log line of an answer the gateway gave itself (once per answer; no head: {@code -}). */
    private void logRefusal(HttpResponseStatus status, String reason) {
        HttpRequest head = refusedHead;
        ServiceRoute route = refusedRoute;
        refusedHead = null;
        refusedRoute = null;
        if (proxy.settings().accessLog()) {
            AccessLog.refused(head, route, status.code(), reason, clientIp, secure);
        }
    }

    private void closeAfterFlush() {
        if (closing) {
            return;
        }
        closing = true;
        timeouts.stop();
        if (ownsConnection()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.flush(); // a stream's frames are handed to its connection at once; closing resets it if still open
            ctx.close();
        }
    }

    /**
     * A response already under way cannot end well (the upstream went away, or the drain timeout closed it). On an
     * HTTP/1.1 connection the connection closes, so the client cannot take it as whole. On an HTTP/2 stream a gRPC
     * call ends with trailers {@code grpc-status: 14} (UNAVAILABLE), a status gRPC clients may retry; anything else is
     * reset.
     */
    private void cutResponse(Exchange ex) {
        if (!ownsConnection() && !closing && ex.state != Exchange.State.TUNNEL && isGrpc(ex.request)) {
            LastHttpContent end = new DefaultLastHttpContent();
            end.trailingHeaders().set(GRPC_STATUS, "14").set(GRPC_MESSAGE, "upstream stream ended early");
            ctx.write(end);
        }
        closeAfterFlush();
    }

    private static boolean isGrpc(HttpRequest req) {
        String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, "application/grpc", 0, 16);
    }

    // ---- client timeouts (see ClientTimeouts) ----------------------------------------------------------------

    private void timedOut(Wait what) {
        switch (what) {
            case IDLE -> ctx.close();
            case HEAD -> {
                proxy.countTimeout();
                respondAndClose(HttpResponseStatus.REQUEST_TIMEOUT, "request header timeout");
            }
            case BODY -> {
                proxy.countTimeout();
                Exchange ex = exchange;
                if (ex != null) {
                    failExchange(ex, HttpResponseStatus.REQUEST_TIMEOUT, "request body timeout", true);
                } else {
                    respondAndClose(HttpResponseStatus.REQUEST_TIMEOUT, "request body timeout");
                }
            }
            case NONE -> { }
        }
    }
}
