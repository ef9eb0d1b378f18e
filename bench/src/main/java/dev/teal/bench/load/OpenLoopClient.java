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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Open-loop HTTP/1.1 load: a fixed set of keep-alive connections, one request at a time on each (no pipelining), fed
 * by a {@link Schedule}. Due requests wait in a queue for a free connection; their latency still counts from the
 * intended time. A connection that closes is reopened; a request lost on it before any answer byte is retried once
 * on another connection (as HTTP clients do for idempotent requests on a stale keep-alive connection), which is
 * recorded. Everything runs on one event-loop thread.
 */
public final class OpenLoopClient implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group = Transport.group(1, "open-loop");
    private final EventLoop loop = group.next();
    private final InetSocketAddress target;
    private final String path;
    private final int connections;

    public OpenLoopClient(InetSocketAddress target, String path, int connections) {
        this.target = target;
        this.path = path;
        this.connections = connections;
    }

    /** Runs {@code schedule} to the end (or {@code REQUEST_TIMEOUT} after its last request) and returns the log. */
    public RequestLog run(Schedule schedule) throws InterruptedException {
        Run run = new Run(schedule);
        loop.execute(run::start);
        long waitNanos = schedule.endNanos() - System.nanoTime() + REQUEST_TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(5);
        if (!run.finished.await(Math.max(waitNanos, 0), TimeUnit.NANOSECONDS)) {
            loop.submit(run::giveUp).syncUninterruptibly();
        }
        loop.submit(run::closeAll).syncUninterruptibly();
        return run.log;
    }

    /** Stops the event loop. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Run {
        final Schedule schedule;
        final RequestLog log;
        final Promise<Void> finished = loop.newPromise();
        final ArrayDeque<Conn> idle = new ArrayDeque<>();
        final ArrayDeque<Integer> pending = new ArrayDeque<>();
        final List<Conn> all = new ArrayList<>();
        int next;
        int done;
        boolean stopping;

        Run(Schedule schedule) {
            this.schedule = schedule;
            this.log = new RequestLog(schedule);
        }

        void start() {
            for (int c = 0; c < connections; c++) {
                connect();
            }
            tick();
            loop.scheduleAtFixedRate(this::checkTimeouts, 100, 100, TimeUnit.MILLISECONDS);
            if (schedule.count() == 0) {
                finished.trySuccess(null);
            }
        }

        void connect() {
            if (stopping) {
                return;
            }
            Conn conn = new Conn();
            new Bootstrap().group(loop).channel(Transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpClientCodec(), new Handler(Run.this, conn));
                        }
                    })
                    .connect(target)
                    .addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            conn.channel = f.channel();
                            all.add(conn);
                            idle.add(conn);
                            dispatch();
                        } else if (!stopping) {
                            loop.schedule(this::connect, 100, TimeUnit.MILLISECONDS);
                        }
                    });
        }

        void tick() {
            if (stopping) {
                return;
            }
            int due = schedule.dueAt(System.nanoTime());
            while (next < due) {
                pending.add(next++);
            }
            dispatch();
            if (next < schedule.count()) {
                long delay = schedule.intendedNanos(next) - System.nanoTime();
                loop.schedule(this::tick, Math.max(delay, 0), TimeUnit.NANOSECONDS);
            }
        }

        void dispatch() {
            while (!pending.isEmpty() && !idle.isEmpty()) {
                Conn conn = idle.poll();
                if (!conn.channel.isActive()) {
                    continue;
                }
                int i = pending.poll();
                conn.current = i;
                conn.answerStarted = false;
                FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path,
                        Unpooled.EMPTY_BUFFER);
                req.headers().set(HttpHeaderNames.HOST, target.getHostString() + ":" + target.getPort());
                log.sent(i, System.nanoTime());
                conn.channel.writeAndFlush(req, conn.channel.voidPromise());
            }
        }

        void answerStarted(Conn conn, HttpResponse res) {
            conn.answerStarted = true;
            conn.status = res.status().code();
            conn.color = res.headers().get("X-Color");
            conn.keepAlive = HttpUtil.isKeepAlive(res);
        }

        void answerEnded(Conn conn) {
            int i = conn.current;
            if (i < 0) {
                return;
            }
            conn.current = -1;
            complete(i, () -> log.answered(i, System.nanoTime(), conn.status, conn.color));
            if (conn.keepAlive) {
                idle.add(conn);
                dispatch();
            } else {
                conn.channel.close();
            }
        }

        void closed(Conn conn) {
            all.remove(conn);
            idle.remove(conn);
            int i = conn.current;
            conn.current = -1;
            if (i >= 0 && !log.done(i)) {
                if (!conn.answerStarted && log.retry(i)) {
                    pending.addFirst(i);
                } else {
                    complete(i, () -> log.failed(i, System.nanoTime(), RequestLog.Failure.CLOSED));
                }
            }
            connect();
        }

        void complete(int i, Runnable record) {
            if (log.done(i)) {
                return;
            }
            record.run();
            if (++done == schedule.count()) {
                finished.trySuccess(null);
            }
        }

        void checkTimeouts() {
            long now = System.nanoTime();
            for (Conn conn : new ArrayList<>(all)) {
                int i = conn.current;
                if (i >= 0 && now - log.sentNanos(i) > REQUEST_TIMEOUT.toNanos()) {
                    conn.current = -1;
                    complete(i, () -> log.failed(i, now, RequestLog.Failure.TIMEOUT));
                    conn.channel.close();
                }
            }
        }

        void giveUp() {
            stopping = true;
            long now = System.nanoTime();
            for (int i = 0; i < schedule.count(); i++) {
                int req = i;
                if (!log.done(req)) {
                    complete(req, () -> log.failed(req, now, RequestLog.Failure.UNFINISHED));
                }
            }
        }

        void closeAll() {
            stopping = true;
            for (Conn c : new ArrayList<>(all)) {
                c.channel.close();
            }
        }
    }

    private static final class Conn {
        Channel channel;
        int current = -1;
        boolean answerStarted;
        boolean keepAlive;
        int status;
        String color;
    }

    private static final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private final Run run;
        private final Conn conn;

        Handler(Run run, Conn conn) {
            this.run = run;
            this.conn = conn;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpResponse res) {
                run.answerStarted(conn, res);
            }
            if (msg instanceof LastHttpContent) {
                run.answerEnded(conn);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            run.closed(conn);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
