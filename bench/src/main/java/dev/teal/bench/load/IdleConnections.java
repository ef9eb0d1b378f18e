package dev.teal.bench.load;

import dev.teal.bench.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Many idle keep-alive connections: each is opened, carries one request (so that it went through the proxy), then
 * stays open and silent. Opened at most {@code OPENING_AT_ONCE} at a time. Source addresses are spread over
 * 127.0.0.1, .2, ... when the count would come near the kernel's ephemeral port range for one source address.
 */
public final class IdleConnections implements AutoCloseable {
    private static final int OPENING_AT_ONCE = 256;

    private final EventLoopGroup group = Transport.group(1, "idle-connections");
    private final EventLoop loop = group.next();
    private final InetSocketAddress target;
    private final List<Channel> channels = new ArrayList<>();
    private final int portsPerSource;
    private int opened;
    private int answered;
    private int failed;

    public IdleConnections(InetSocketAddress target) {
        this.target = target;
        this.portsPerSource = Math.max(1000, ephemeralPorts() - 2000);
    }

    /** The size of {@code net.ipv4.ip_local_port_range}. */
    static int ephemeralPorts() {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        } catch (IOException | RuntimeException e) {
            return 28_000;
        }
    }

    /** Opens {@code count} more connections, each answered once; returns when all are done or {@code timeout}. */
    public void open(int count, Duration timeout) throws InterruptedException {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> new Batch(count, done).start());
        if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("opening " + count + " connections took longer than " + timeout
                    + " (opened " + opened() + ", answered " + answered() + ", failed " + failed() + ")");
        }
    }

    private final class Batch {
        final int count;
        final Promise<Void> done;
        int started;
        int finished;

        Batch(int count, Promise<Void> done) {
            this.count = count;
            this.done = done;
        }

        void start() {
            if (count == 0) {
                done.trySuccess(null);
            }
            while (started < count && started - finished < OPENING_AT_ONCE) {
                openOne();
            }
        }

        void openOne() {
            started++;
            InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + channels.size() / portsPerSource), 0);
            new Bootstrap().group(loop).channel(Transport.socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new SimpleChannelInboundHandler<HttpObject>() {
                                boolean ok;

                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                                    if (msg instanceof HttpResponse r) {
                                        ok = r.status().code() == 200;
                                    }
                                    if (msg instanceof LastHttpContent) {
                                        if (ok) {
                                            answered++;
                                        } else {
                                            failed++;
                                        }
                                        finishOne();
                                    }
                                }
                            });
                        }
                    })
                    .connect(target, local)
                    .addListener((ChannelFuture f) -> {
                        if (!f.isSuccess()) {
                            failed++;
                            finishOne();
                            return;
                        }
                        opened++;
                        channels.add(f.channel());
                        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/",
                                Unpooled.EMPTY_BUFFER);
                        req.headers().set(HttpHeaderNames.HOST, target.getHostString());
                        f.channel().writeAndFlush(req);
                    });
        }

        void finishOne() {
            finished++;
            if (finished == count) {
                done.trySuccess(null);
            } else if (started < count) {
                openOne();
            }
        }
    }

    public int opened() {
        return loop.submit(() -> opened).syncUninterruptibly().getNow();
    }

    public int answered() {
        return loop.submit(() -> answered).syncUninterruptibly().getNow();
    }

    public int failed() {
        return loop.submit(() -> failed).syncUninterruptibly().getNow();
    }

    /** How many of the opened connections are still open. */
    public int stillOpen() {
        return loop.submit(() -> (int) channels.stream().filter(Channel::isActive).count()).syncUninterruptibly().getNow();
    }

    @Override
    public void close() {
        loop.submit(() -> channels.forEach(Channel::close)).syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
