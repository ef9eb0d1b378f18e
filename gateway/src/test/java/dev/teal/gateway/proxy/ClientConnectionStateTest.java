package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.listener.Transport;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.routing.Router;
import dev.teal.gateway.upstream.HealthChecker;
import dev.teal.gateway.upstream.LoopConnectionPool;
import dev.teal.gateway.upstream.LoopPools;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client connection's state machine (what it waits for, its timeouts, refusals, pipelining, half-close, shutdown)
 * on an {@link EmbeddedChannel} with a mock ticker: time moves only when the test says so, so every timeout is
 * checked on both sides of its deadline without a sleep. Requests here never reach an upstream (unknown hosts get the
 * gateway's own 404); the exchange with an upstream is covered by the socket tests.
 */
class ClientConnectionStateTest {
    private static final long HEADER_MS = 1_000;
    private static final long BODY_MS = 2_000;
    private static final long IDLE_MS = 5_000;

    private static GatewayMetrics metrics;
    private static ScheduledExecutorService control;
    private static EventLoopGroup healthLoop;
    private static HealthChecker health;
    private static GatewayConfig config;

    private final MockTicker ticker = Ticker.newMockTicker();
    private EmbeddedChannel ch;
    private ProxyContext proxy;

    @BeforeAll
    static void setUp() {
        metrics = new GatewayMetrics();
        control = Executors.newSingleThreadScheduledExecutor();
        healthLoop = Transport.nio().newGroup(1, "state-health");
        health = new HealthChecker(healthLoop, Transport.nio().socketChannel());
        config = ConfigParser.parse("""
                services:
                  shop:
                    hosts: [shop.test]
                    active: blue
                    colors:
                      blue: [127.0.0.1:9]
                """);
    }

    @AfterAll
    static void tearDown() {
        health.close();
        control.shutdownNow();
        healthLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        metrics.close();
    }

    @AfterEach
    void finish() {
        ch.close();
        ch.runPendingTasks();
        drain(); // every answer written is read and released
        assertFalse(ch.finish(), "nothing left in the channel");
    }

    private void open() {
        ch = EmbeddedChannel.builder().ticker(ticker).build();
        LoopConnectionPool pool = new LoopConnectionPool(ch.eventLoop(), Transport.nio().socketChannel(),
                new UpstreamInitializer(), Duration.ofMillis(100), Duration.ofSeconds(30), 0);
        LoopPools pools = new LoopPools(List.of(pool));
        Router router = new Router(metrics, control, pools, health);
        router.apply(null, config);
        ProxySettings settings = new ProxySettings(TimeUnit.MILLISECONDS.toNanos(HEADER_MS),
                TimeUnit.MILLISECONDS.toNanos(BODY_MS), TimeUnit.MILLISECONDS.toNanos(IDLE_MS),
                TimeUnit.SECONDS.toNanos(30), 100, 0, List.of(), false);
        proxy = new ProxyContext(router, pools, metrics, settings);
        ch.pipeline().addLast(new ProxyInitializer(proxy, 1024, 4096));
        ch.pipeline().fireChannelActive();
    }

    private void send(String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
    }

    private void advance(long millis) {
        ticker.advance(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    /** The answers written to the client since the last call: status and whether it said Connection: close. */
    private List<String> drain() {
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
        Object out;
        while ((out = ch.readOutbound()) != null) {
            client.writeInbound(out);
        }
        List<String> answers = new ArrayList<>();
        Object in;
        while ((in = client.readInbound()) != null) {
            if (in instanceof HttpResponse r) {
                answers.add(r.status().code() + ("close".equals(r.headers().get(HttpHeaderNames.CONNECTION))
                        ? " close" : ""));
            }
            ReferenceCountUtil.release(in);
        }
        client.finishAndReleaseAll();
        return answers;
    }

    private static String unknownHost(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n";
    }

    @Test
    void headThatDoesNotArriveWithinTheHeaderTimeoutGets408AndTheConnectionCloses() {
        open();
        send("GET / HTTP/1.1\r\nHost: shop.test\r\n");
        advance(HEADER_MS - 1);
        assertThat(drain()).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        advance(2);
        assertThat(drain()).containsExactly("408 close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void connectionThatSendsNothingIsHeldToTheHeaderTimeout() {
        open();
        advance(HEADER_MS + 1);
        assertThat(drain()).containsExactly("408 close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilentlyAfterTheIdleTimeout() {
        open();
        send(unknownHost("/"));
        assertThat(drain()).containsExactly("404");
        advance(IDLE_MS - 1);
        assertThat(ch.isOpen()).as("idle, within clientIdle").isTrue();
        advance(2);
        assertThat(ch.isOpen()).isFalse();
        assertThat(drain()).as("an idle close says nothing").isEmpty();
    }

    @Test
    void firstBytesOfTheNextRequestReplaceTheIdleWaitWithTheHeaderTimeout() {
        open();
        send(unknownHost("/"));
        assertThat(drain()).containsExactly("404");
        advance(IDLE_MS - 100);
        send("GET /next HTTP/1.1\r\n");
        advance(HEADER_MS - 1);
        assertThat(ch.isOpen()).as("the idle deadline no longer applies").isTrue();
        advance(2);
        assertThat(drain()).containsExactly("408 close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void keepAliveConnectionServesRequestAfterRequest() {
        open();
        for (int i = 0; i < 3; i++) {
            send(unknownHost("/" + i));
            assertThat(drain()).containsExactly("404");
            advance(IDLE_MS - 1);
        }
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnTheSameConnection() {
        open();
        send(unknownHost("/a") + unknownHost("/b") + "GET / HTTP/1.1\r\nHost: elsewhere.test\r\nConnection: close\r\n\r\n");
        assertThat(drain()).containsExactly("404", "404", "404 close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void malformedHeadGets400AndTheConnectionCloses() {
        open();
        send("GET / HTTP/1.1\r\nHost: shop.test\r\nBad Name: x\r\n\r\n");
        assertThat(drain()).containsExactly("400 close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void clientHalfCloseWithNothingToAnswerClosesTheConnection() {
        open();
        send(unknownHost("/"));
        assertThat(drain()).containsExactly("404");
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void halfCloseInTheMiddleOfAHeadAnswers400AndCloses() {
        open();
        send("GET / HTTP/1.1\r\nHost: elsewhere.test\r\n");
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.runPendingTasks();
        assertThat(drain()).as("a head cut short by the end of input is malformed").containsExactly("400 close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void shutdownClosesAnIdleConnection() {
        open();
        send(unknownHost("/"));
        assertThat(drain()).containsExactly("404");
        ch.pipeline().fireUserEventTriggered(ProxyContext.CLOSE_IF_IDLE);
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void refusedRequestWithABodyClosesTheConnection() {
        open();
        send("POST / HTTP/1.1\r\nHost: elsewhere.test\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(drain()).containsExactly("404 close");
        assertThat(ch.isOpen()).isFalse();
    }
}
