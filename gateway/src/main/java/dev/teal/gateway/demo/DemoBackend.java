package dev.teal.gateway.demo;

import dev.teal.gateway.listener.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 backend that says which color it is. Every answer carries {@code X-Color}; the body of a plain
 * GET is the color. Paths: {@code /healthz}; {@code /slow?ms=N} answers after N ms (without blocking);
 * {@code /hold} answers only when {@link #releaseHeld()} is called (a test holds a request in flight for exactly as long
 * as it needs); {@code /echo} streams the request body back; {@code /bytes?n=N} sends N bytes in chunks;
 * {@code /status/N} answers with status N; {@code /ws} accepts a WebSocket and echoes text frames as {@code color:text}. Used by the demo and by
 * the tests. {@link #setFaults} makes the other paths fail a share of requests with 500 or answer late (a bad
 * release, for the guarded cutover).
 */
public final class DemoBackend implements AutoCloseable {
    private final String color;
    private final EventLoopGroup group;
    private final Channel server;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong connectionsOpened = new AtomicLong();
    private final java.util.Queue<Runnable> held = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean healthy = true;
    private volatile int errorPercent;
    private volatile long delayMillis;
    private final AtomicLong plainRequests = new AtomicLong();
    private volatile HttpHeaders lastHeaders = new DefaultHttpHeaders();

    private DemoBackend(String color, EventLoopGroup group, Channel server) {
        this.color = color;
        this.group = group;
        this.server = server;
    }

    /** Starts a backend on {@code 127.0.0.1:port} (0 picks a free port) with its own event-loop thread. */
    public static DemoBackend start(String color, int port) throws InterruptedException {
        Transport t = Transport.best();
        EventLoopGroup group = t.newGroup(1, "backend-" + color);
        DemoBackend[] self = new DemoBackend[1];
        try {
            Channel ch = new ServerBootstrap().group(group).channel(t.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            self[0].connections.add(c);
                            self[0].connectionsOpened.incrementAndGet();
                            c.pipeline().addLast("codec", new HttpServerCodec()).addLast(self[0].new Handler());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
            self[0] = new DemoBackend(color, group, ch);
            return self[0];
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public String color() {
        return color;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Requests answered so far (health checks included). */
    public long requests() {
        return requests.get();
    }

    public long connectionsOpened() {
        return connectionsOpened.get();
    }

    public int openConnections() {
        return connections.size();
    }

    /** Headers of the last request that was not a health check. */
    public HttpHeaders lastHeaders() {
        return lastHeaders;
    }

    /** Requests to {@code /hold} received and not answered yet. */
    public int heldRequests() {
        return held.size();
    }

    /** Answers every request held on {@code /hold} so far (200, the color). */
    public void releaseHeld() {
        Runnable r;
        while ((r = held.poll()) != null) {
            r.run();
        }
    }

    /** What {@code /healthz} answers: 200 when true, 503 when false. */
    /**
     * Plain requests (any path not named above) fail or slow down: {@code errorPercent} of every hundred answer
     * {@code 500} (spread evenly, deterministic), and every answer waits {@code delayMillis} first (without blocking).
     */
    public void setFaults(int errorPercent, long delayMillis) {
        if (errorPercent < 0 || errorPercent > 100 || delayMillis < 0) {
            throw new IllegalArgumentException("errorPercent 0..100, delayMillis >= 0");
        }
        this.errorPercent = errorPercent;
        this.delayMillis = delayMillis;
    }

    public void setHealthy(boolean value) {
        healthy = value;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private boolean echoing;
        private WebSocketServerHandshaker ws;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof WebSocketFrame frame) {
                webSocket(ctx, frame);
                return;
            }
            if (msg instanceof HttpRequest req) {
                request(ctx, req);
            }
            if (msg instanceof HttpContent c && echoing) {
                boolean last = c instanceof LastHttpContent;
                ctx.write(last ? new DefaultHttpContent(c.content().retain()) : c.retain());
                if (last) {
                    echoing = false;
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                } else {
                    ctx.flush();
                }
            }
        }

        private void request(ChannelHandlerContext ctx, HttpRequest req) {
            requests.incrementAndGet();
            QueryStringDecoder q = new QueryStringDecoder(req.uri());
            String path = q.path();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (!path.equals("/healthz")) {
                lastHeaders = req.headers().copy();
            }
            switch (path) {
                case "/healthz" -> reply(ctx, healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        healthy ? "ok" : "unhealthy", keepAlive);
                case "/slow" -> {
                    long ms = Long.parseLong(q.parameters().getOrDefault("ms", java.util.List.of("1000")).get(0));
                    ctx.executor().schedule(() -> reply(ctx, HttpResponseStatus.OK, color, keepAlive), ms, TimeUnit.MILLISECONDS);
                }
                case "/hold" -> held.add(() -> ctx.executor().execute(
                        () -> reply(ctx, HttpResponseStatus.OK, color, keepAlive)));
                case "/echo" -> {
                    HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    r.headers().set("X-Color", color);
                    HttpUtil.setTransferEncodingChunked(r, true);
                    ctx.writeAndFlush(r);
                    echoing = true;
                }
                case "/bytes" -> bytes(ctx, Long.parseLong(q.parameters().get("n").get(0)));
                case "/ws" -> {
                    WebSocketServerHandshakerFactory f = new WebSocketServerHandshakerFactory(
                            "ws://" + req.headers().get(HttpHeaderNames.HOST) + "/ws", null, true);
                    ws = f.newHandshaker(req);
                    if (ws == null) {
                        WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                    } else {
                        ws.handshake(ctx.channel(), req);
                    }
                }
                default -> {
                    if (path.startsWith("/status/")) {
                        int code = Integer.parseInt(path.substring("/status/".length()));
                        reply(ctx, HttpResponseStatus.valueOf(code), color, keepAlive);
                    } else {
                        plain(ctx, keepAlive);
                    }
                }
            }
        }

        private void plain(ChannelHandlerContext ctx, boolean keepAlive) {
            int errors = errorPercent;
            long delay = delayMillis;
            long n = plainRequests.getAndIncrement();
            // n*errors/100 steps up exactly errors times per hundred requests
            boolean fail = errors > 0 && (n + 1) * errors / 100 != n * errors / 100;
            HttpResponseStatus status = fail ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.OK;
            if (delay > 0) {
                ctx.executor().schedule(() -> reply(ctx, status, color, keepAlive), delay, TimeUnit.MILLISECONDS);
            } else {
                reply(ctx, status, color, keepAlive);
            }
        }

        private void bytes(ChannelHandlerContext ctx, long n) {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers().set("X-Color", color).set(HttpHeaderNames.CONTENT_LENGTH, n);
            ctx.write(r);
            writeChunks(ctx, n);
        }

        private void writeChunks(ChannelHandlerContext ctx, long left) {
            if (left <= 0) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            int size = (int) Math.min(16 * 1024, left);
            ByteBuf chunk = ctx.alloc().buffer(size).writeZero(size);
            ctx.writeAndFlush(new DefaultHttpContent(chunk)).addListener(f -> {
                if (f.isSuccess()) {
                    writeChunks(ctx, left - size);
                }
            });
        }

        private void webSocket(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame close) {
                ws.close(ctx.channel(), close.retain());
            } else if (frame instanceof TextWebSocketFrame text) {
                ctx.writeAndFlush(new TextWebSocketFrame(color + ":" + text.text()));
            }
        }

        private void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
            ByteBuf body = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            r.headers().set("X-Color", color).setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            HttpUtil.setKeepAlive(r, keepAlive);
            if (keepAlive) {
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    @Override
    public String toString() {
        return color + "@" + address();
    }
}
