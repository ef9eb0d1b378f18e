package dev.teal.bench.backend;

import dev.teal.bench.net.Transport;
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
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One event loop serving one listener per color. */
public final class ColorBackend implements AutoCloseable {
    public static final String COLOR_HEADER = "X-Color";
    private static final long MAX_DELAY_MS = 120_000;

    private final EventLoopGroup group;
    private final List<Channel> listeners;

    private ColorBackend(EventLoopGroup group, List<Channel> listeners) {
        this.group = group;
        this.listeners = listeners;
    }

    /**
     * How a color misbehaves: {@code errorPercent} of every hundred plain requests answer 500 (spread evenly),
     * every answer waits {@code delayMs} (a bad release, for the {@code guard} scenario).
     */
    public record Fault(int errorPercent, long delayMs) {
        public static final Fault NONE = new Fault(0, 0);

        /** {@code errors=5,delay=200}: either part may be left out. */
        public static Fault parse(String text) {
            int errors = 0;
            long delay = 0;
            for (String part : text.split(",")) {
                String[] kv = part.split("=", 2);
                switch (kv[0]) {
                    case "errors" -> errors = Integer.parseInt(kv[1]);
                    case "delay" -> delay = Long.parseLong(kv[1]);
                    default -> throw new IllegalArgumentException("unknown fault " + part);
                }
            }
            return new Fault(errors, delay);
        }

        @Override
        public String toString() {
            return "errors=" + errorPercent + ",delay=" + delayMs;
        }
    }

    /** Binds each color to its loopback port (0 = any) and returns once all are listening. */
    public static ColorBackend start(Map<String, Integer> portsByColor) throws InterruptedException {
        return start(portsByColor, Map.of());
    }

    /** As {@link #start(Map)}, with the faults of some colors. */
    public static ColorBackend start(Map<String, Integer> portsByColor, Map<String, Fault> faults)
            throws InterruptedException {
        EventLoopGroup group = Transport.group(1, "color-backend");
        try {
            List<Channel> channels = new java.util.ArrayList<>();
            for (Map.Entry<String, Integer> e : portsByColor.entrySet()) {
                String color = e.getKey();
                channels.add(new ServerBootstrap()
                        .group(group)
                        .channel(Transport.serverChannel())
                        .option(ChannelOption.SO_BACKLOG, 4096)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                        new WebSocketServerProtocolHandler("/ws"),
                                        new Handler(color, faults.getOrDefault(color, Fault.NONE)));
                            }
                        })
                        .bind(new InetSocketAddress("127.0.0.1", e.getValue()))
                        .sync()
                        .channel());
            }
            return new ColorBackend(group, channels);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    public int port(int index) {
        return ((InetSocketAddress) listeners.get(index).localAddress()).getPort();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<Object> {
        private final String color;
        private final byte[] body;
        private final Fault fault;
        private long plain;

        Handler(String color, Fault fault) {
            this.color = color;
            this.fault = fault;
            this.body = (color + "\n").getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame frame) {
                ctx.writeAndFlush(new TextWebSocketFrame(color + ":" + frame.text()));
            } else if (msg instanceof FullHttpRequest req) {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                QueryStringDecoder uri = new QueryStringDecoder(req.uri());
                if (uri.path().equals("/slow")) {
                    long ms = Math.min(MAX_DELAY_MS, Long.parseLong(uri.parameters().getOrDefault("ms", List.of("1000")).get(0)));
                    ctx.executor().schedule(() -> respond(ctx, keepAlive), ms, TimeUnit.MILLISECONDS);
                } else if (fault.errorPercent() > 0 || fault.delayMs() > 0) {
                    long n = plain++;
                    // n*errors/100 steps up exactly errorPercent times per hundred requests
                    boolean fail = (n + 1) * fault.errorPercent() / 100 != n * fault.errorPercent() / 100;
                    HttpResponseStatus status = fail ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.OK;
                    if (fault.delayMs() > 0) {
                        ctx.executor().schedule(() -> respond(ctx, keepAlive, status), fault.delayMs(),
                                TimeUnit.MILLISECONDS);
                    } else {
                        respond(ctx, keepAlive, status);
                    }
                } else {
                    respond(ctx, keepAlive);
                }
            }
        }

        private void respond(ChannelHandlerContext ctx, boolean keepAlive) {
            respond(ctx, keepAlive, HttpResponseStatus.OK);
        }

        private void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status) {
            ByteBuf content = Unpooled.wrappedBuffer(body);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            res.headers().set(COLOR_HEADER, color)
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            if (keepAlive) {
                ctx.writeAndFlush(res);
            } else {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }
}
