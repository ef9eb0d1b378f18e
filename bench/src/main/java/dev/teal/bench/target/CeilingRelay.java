package dev.teal.bench.target;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * The {@code ceiling} target's process: a bare Netty relay, what Teal's own stack allows at most. One epoll event loop
 * (accept and I/O), one upstream connection per client opened when the client connects, bytes copied both ways with
 * auto-read backpressure (a side stops reading while the other is not writable), no HTTP parsing at all. Usage:
 * {@code CeilingRelay <listen port> <upstream host> <upstream port>}; it runs until killed.
 */
public final class CeilingRelay {
    private CeilingRelay() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3 || !Epoll.isAvailable()) {
            System.err.println("usage: CeilingRelay <listen port> <upstream host> <upstream port> (needs epoll)");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        InetSocketAddress upstream = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ceiling-io"),
                EpollIoHandler.newFactory());
        new ServerBootstrap().group(loop).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        client.pipeline().addLast(new ClientSide(upstream));
                    }
                })
                .bind("127.0.0.1", port).sync();
        System.out.println("ceiling relay listening on 127.0.0.1:" + port + " -> " + upstream);
        loop.terminationFuture().sync();
    }

    /** Opens the client's upstream connection on the client's own event loop, then relays. */
    private static final class ClientSide extends Relay {
        private final InetSocketAddress upstream;

        ClientSide(InetSocketAddress upstream) {
            this.upstream = upstream;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            ChannelFuture f = new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Relay(client))
                    .connect(upstream);
            peer = f.channel();
            f.addListener((ChannelFutureListener) cf -> {
                if (cf.isSuccess()) {
                    client.config().setAutoRead(true);
                } else {
                    client.close();
                }
            });
        }
    }

    /** Copies what one side reads to the other; stops reading while the other side is not writable. */
    private static class Relay extends ChannelInboundHandlerAdapter {
        Channel peer;

        Relay() {
        }

        Relay(Channel peer) {
            this.peer = peer;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (peer == null || !peer.isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            peer.write(msg, peer.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (peer != null) {
                peer.flush();
                if (!peer.isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && peer != null && peer.isActive()) {
                peer.config().setAutoRead(true);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (peer != null && peer.isActive()) {
                peer.flush();
                peer.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
