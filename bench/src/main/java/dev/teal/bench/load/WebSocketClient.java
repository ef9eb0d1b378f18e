package dev.teal.bench.load;

import dev.teal.bench.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** WebSocket connections for {@code drain}: send a text, read the echo, see who closes and when. */
public final class WebSocketClient implements AutoCloseable {
    private final EventLoopGroup group = Transport.group(1, "websockets");

    /** One open WebSocket. */
    public static final class Socket {
        private final Channel channel;
        private final BlockingQueue<String> received;
        private final CompletableFuture<Long> closedAt = new CompletableFuture<>();
        private volatile boolean closedByUs;

        private Socket(Channel channel, BlockingQueue<String> received) {
            this.channel = channel;
            this.received = received;
            channel.closeFuture().addListener(f -> closedAt.complete(System.nanoTime()));
        }

        /** Sends {@code text} and returns the echo, or null when none came within {@code timeoutMs}. */
        public String echo(String text, long timeoutMs) throws InterruptedException {
            channel.writeAndFlush(new TextWebSocketFrame(text));
            return received.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        /** A clean close from the client side. */
        public void close() {
            closedByUs = true;
            channel.writeAndFlush(new CloseWebSocketFrame()).addListener(f -> channel.close());
        }

        public boolean closedByUs() {
            return closedByUs;
        }

        /** Completes with {@link System#nanoTime()} when the connection closed. */
        public CompletableFuture<Long> closedAt() {
            return closedAt;
        }
    }

    /** Opens {@code ws://target/path} and returns once the handshake is complete. */
    public Socket open(InetSocketAddress target, String path) throws Exception {
        URI uri = URI.create("ws://" + target.getHostString() + ":" + target.getPort() + path);
        CompletableFuture<Socket> ready = new CompletableFuture<>();
        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        Channel ch = new Bootstrap().group(group).channel(Transport.socketChannel())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                        uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders())),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                        inbox.add(f.text());
                                    }

                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                            ready.complete(null);
                                        }
                                        ctx.fireUserEventTriggered(evt);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ready.completeExceptionally(cause);
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(target).sync().channel();
        ch.closeFuture().addListener(f -> ready.completeExceptionally(new IllegalStateException("closed before handshake")));
        ready.get(10, TimeUnit.SECONDS);
        return new Socket(ch, inbox);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
