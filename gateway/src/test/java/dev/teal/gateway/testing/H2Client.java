package dev.teal.gateway.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP/2 client (Netty's codec, h2c with prior knowledge) for tests: one connection, one stream per request,
 * each answer aggregated (trailers included). {@link #start} leaves a request's body open for the test to finish.
 */
public final class H2Client implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel channel;

    public H2Client(int port) throws InterruptedException {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        // no pushed streams are expected
                                    }
                                }));
                    }
                }).connect("127.0.0.1", port).sync().channel();
    }

    /** The connection (closed by the gateway on GOAWAY and the like). */
    public Channel channel() {
        return channel;
    }

    /** A request whose body the test sends later through the returned stream. */
    public final class Pending {
        public final Http2StreamChannel stream;
        public final CompletableFuture<FullHttpResponse> response;

        Pending(Http2StreamChannel stream, CompletableFuture<FullHttpResponse> response) {
            this.stream = stream;
            this.response = response;
        }

        public void send(String chunk, boolean last) {
            ByteBuf b = Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8);
            stream.writeAndFlush(last ? new DefaultLastHttpContent(b) : new DefaultHttpContent(b));
        }
    }

    /** Opens a stream and sends the head of {@code method path} with no end of stream. */
    public Pending start(HttpMethod method, String path, String authority) throws Exception {
        CompletableFuture<FullHttpResponse> response = new CompletableFuture<>();
        Http2StreamChannel s = open(response);
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, path);
        head.headers().set(HttpHeaderNames.HOST, authority);
        s.writeAndFlush(head).sync();
        return new Pending(s, response);
    }

    /** {@code method path} with {@code body} (null: none, the HEADERS end the stream), and its whole answer. */
    public CompletableFuture<FullHttpResponse> request(HttpMethod method, String path, String authority, String body,
                                                       HttpHeaders extra) throws Exception {
        CompletableFuture<FullHttpResponse> response = new CompletableFuture<>();
        Http2StreamChannel s = open(response);
        ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, content);
        req.headers().set(HttpHeaderNames.HOST, authority);
        if (extra != null) {
            req.headers().add(extra);
        }
        s.writeAndFlush(req).sync();
        return response;
    }

    private Http2StreamChannel open(CompletableFuture<FullHttpResponse> response) throws InterruptedException {
        return new Http2StreamChannelBootstrap(channel).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), new HttpObjectAggregator(1 << 24),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse msg) {
                                response.complete(msg.retainedDuplicate());
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                response.completeExceptionally(new IllegalStateException("stream closed"));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                response.completeExceptionally(cause);
                            }
                        });
            }
        }).open().sync().getNow();
    }

    /** {@code GET path} and its answer as text; fails after 10 seconds. */
    public String get(String path) throws Exception {
        FullHttpResponse r = request(HttpMethod.GET, path, "shop", null, null).get(10, TimeUnit.SECONDS);
        try {
            return r.status().code() + " " + r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
