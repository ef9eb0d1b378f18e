package dev.teal.gateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.listener.Transport;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.proxy.ProxyContext;
import dev.teal.gateway.proxy.ProxyInitializer;
import dev.teal.gateway.proxy.ProxySettings;
import dev.teal.gateway.proxy.UpstreamInitializer;
import dev.teal.gateway.routing.Router;
import dev.teal.gateway.upstream.HealthChecker;
import dev.teal.gateway.upstream.LoopConnectionPool;
import dev.teal.gateway.upstream.LoopPools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Mutated corpus requests, cut into random pieces, fed to the client pipeline the gateway builds (decoder, checks,
 * frontend) on an {@link EmbeddedChannel}. Timeouts are 1 ns, so every connection ends: each input must end in
 * answers and a close, with no exception and no error logged ({@code LeakGuard} fails the class on a leaked buffer).
 * The upstream cannot be reached from an embedded channel, so a request that passes every check gets 502.
 */
class RequestPathFuzzTest {
    private static final long SEED = 0x7ea1L;
    private static final int ITERATIONS = 4000;
    private static final byte[] INTERESTING = " \t\r\n:,;0123456789abcdefxXz\u0000\u0001\u007f-+".getBytes(
            java.nio.charset.StandardCharsets.ISO_8859_1);

    private static GatewayMetrics metrics;
    private static ScheduledExecutorService control;
    private static EventLoopGroup healthLoop;
    private static HealthChecker health;
    private static GatewayConfig config;
    /** The thread the channel under test runs on (EmbeddedChannel: the test's own). */
    private static volatile String channelThread = "";
    /**
     * Lines of the channel under test only (its thread, and this class's health-check loop): threads other test
     * classes left behind do not count. Appends are synchronized on the appender; read a copy under the same lock.
     */
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent e) {
            if (e.getThreadName().equals(channelThread) || e.getThreadName().startsWith("fuzz-health")) {
                super.append(e);
            }
        }
    };

    @BeforeAll
    static void setUp() {
        metrics = new GatewayMetrics();
        control = Executors.newSingleThreadScheduledExecutor();
        healthLoop = Transport.nio().newGroup(1, "fuzz-health");
        health = new HealthChecker(healthLoop, Transport.nio().socketChannel());
        config = ConfigParser.parse("""
                services:
                  shop:
                    active: blue
                    maxBodySize: 64
                    colors:
                      blue: [127.0.0.1:9]
                """);
        LOGS.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    }

    @AfterAll
    static void tearDown() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
        health.close();
        control.shutdownNow();
        healthLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        metrics.close();
    }

    @Test
    void mutatedRequestsEndInAnswersAndACloseWithoutErrorsOrLeaks() {
        List<byte[]> seeds = Corpus.load(Corpus.Kind.REQUEST).stream().map(Corpus.Entry::bytes)
                .filter(b -> b.length < 4096).toList();
        Random random = new Random(SEED);
        channelThread = Thread.currentThread().getName();
        int answered = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] input = mutate(seeds, random);
            List<Integer> statuses = feed(input, random);
            List<ILoggingEvent> lines;
            synchronized (LOGS) {
                lines = List.copyOf(LOGS.list);
            }
            assertThat(lines).as("logged at WARN or above for input %s", show(input))
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || (e.getLevel() == Level.WARN
                            && !e.getLoggerName().startsWith("io.micrometer"))); // a new Router per input re-registers meters
            answered += statuses.size();
        }
        assertThat(answered).isGreaterThan(ITERATIONS / 2);
    }

    /** Feeds the input in random pieces; answers the statuses written back. The channel must end closed. */
    private static List<Integer> feed(byte[] input, Random random) {
        EmbeddedChannel ch = new EmbeddedChannel();
        LoopConnectionPool pool = new LoopConnectionPool(ch.eventLoop(), Transport.nio().socketChannel(),
                new UpstreamInitializer(), Duration.ofMillis(100), Duration.ofSeconds(30), 0);
        LoopPools pools = new LoopPools(List.of(pool));
        Router router = new Router(metrics, control, pools, health);
        router.apply(null, config);
        ProxySettings settings = new ProxySettings(1, 1, 1, TimeUnit.SECONDS.toNanos(5), 100, 0, List.of(), false);
        ch.pipeline().addLast(new ProxyInitializer(new ProxyContext(router, pools, metrics, settings), 1024, 4096));
        ch.pipeline().fireChannelActive();
        int at = 0;
        while (at < input.length && ch.isOpen()) {
            int n = 1 + random.nextInt(Math.min(input.length - at, 1 + random.nextInt(64)));
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, at, at + n)));
            at += n;
        }
        ch.runPendingTasks();
        ch.runPendingTasks();
        ch.checkException();
        assertThat(ch.isOpen()).as("still open after %s", show(input)).isFalse();
        List<Integer> statuses = statuses(ch);
        ch.finishAndReleaseAll();
        return statuses;
    }

    private static List<Integer> statuses(EmbeddedChannel ch) {
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
        Object out;
        while ((out = ch.readOutbound()) != null) {
            client.writeInbound(out);
        }
        List<Integer> statuses = new ArrayList<>();
        Object in;
        while ((in = client.readInbound()) != null) {
            if (in instanceof HttpResponse r) {
                assertThat(r.decoderResult().isSuccess()).as("a well-formed answer").isTrue();
                int code = r.status().code();
                statuses.add(code);
                if (code >= 400 && code != 502 && code != 404) {
                    assertThat(r.headers().get(HttpHeaderNames.CONNECTION)).as("refusal %d closes", code)
                            .isEqualTo("close");
                }
            }
            ReferenceCountUtil.release(in);
        }
        client.finishAndReleaseAll();
        return statuses;
    }

    private static byte[] mutate(List<byte[]> seeds, Random r) {
        byte[] b = seeds.get(r.nextInt(seeds.size())).clone();
        int edits = 1 + r.nextInt(4);
        for (int k = 0; k < edits; k++) {
            int at = b.length == 0 ? 0 : r.nextInt(b.length);
            switch (r.nextInt(6)) {
                case 0 -> { // replace a byte with an interesting one
                    if (b.length > 0) {
                        b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                    }
                }
                case 1 -> b = insert(b, at, new byte[] {INTERESTING[r.nextInt(INTERESTING.length)]});
                case 2 -> { // delete a few bytes
                    int n = Math.min(b.length - at, 1 + r.nextInt(4));
                    byte[] c = new byte[b.length - n];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + n, c, at, b.length - at - n);
                    b = c;
                }
                case 3 -> { // duplicate a slice (repeated headers, chunks, lines)
                    int n = Math.min(b.length - at, 1 + r.nextInt(24));
                    b = insert(b, at, Arrays.copyOfRange(b, at, at + n));
                }
                case 4 -> b = Arrays.copyOf(b, at); // truncate
                default -> { // pipeline another request after this one
                    byte[] next = seeds.get(r.nextInt(seeds.size()));
                    b = insert(b, b.length, next);
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] c = new byte[b.length + what.length];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(what, 0, c, at, what.length);
        System.arraycopy(b, at, c, at + what.length, b.length - at);
        return c;
    }

    private static String show(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            int c = x & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                s.append((char) c);
            } else {
                s.append(String.format("\\x%02x", c));
            }
        }
        return s.toString();
    }
}
