package dev.teal.gateway.proxy;

import static dev.teal.gateway.testing.RawH2.CONTINUATION;
import static dev.teal.gateway.testing.RawH2.GOAWAY;
import static dev.teal.gateway.testing.RawH2.HEADERS;
import static dev.teal.gateway.testing.RawH2.RST_STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawH2;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a hostile HTTP/2 client meets, sent as raw frames: each limit ends in a refusal or a GOAWAY, bounded. */
class Http2AbuseLimitsTest {
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                timeouts:
                  clientIdle: 2s
                shutdown:
                  timeout: 3s
                http2:
                  h2c: true
                  maxConcurrentStreams: 5
                  maxResetsPerSecond: 50
                  maxQueuedControlFrames: 100
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [${blue}]
                """);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private int port() {
        return f.gateway().proxyPort();
    }

    @Test
    void streamsOverTheConcurrentLimitAreRefusedAndTheOpenOnesFinish() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            for (int i = 0; i < 6; i++) {
                c.headers(1 + 2 * i, RawH2.get("/hold", "shop"), true);
            }
            c.flush();
            RawH2.Frame rst = c.readUntil(RST_STREAM, 11);
            assertThat(rst).isNotNull();
            assertThat(rst.rstError()).isEqualTo(Http2Error.REFUSED_STREAM.code());
            await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 5);
            f.backend("blue").releaseHeld();
            RawH2.Frame head = c.readUntil(HEADERS, 9);
            assertThat(head).isNotNull();
            assertThat(head.headers().status().toString()).isEqualTo("200");
        }
    }

    @Test
    void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            long goAway = -1;
            try {
                for (int i = 0; i < 1000; i++) {
                    int stream = 1 + 2 * i;
                    c.headers(stream, RawH2.get("/", "shop"), false);
                    c.rst(stream, Http2Error.CANCEL.code());
                }
                c.flush();
            } catch (IOException closedWhileWriting) {
                // the gateway may close before all of it is written; the GOAWAY is still to be read
            }
            RawH2.Frame f = c.readUntil(GOAWAY, 0);
            assertThat(f).as("GOAWAY").isNotNull();
            goAway = f.goAwayError();
            assertThat(goAway).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headerListSlightlyOverTheLimitGets431() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            Http2Headers h = RawH2.get("/", "shop").add("x-big", "v".repeat(70 * 1024));
            sendSplit(c, 1, c.block(1, h));
            RawH2.Frame head = c.readUntil(HEADERS, 1);
            assertThat(head).isNotNull();
            assertThat(head.headers().status().toString()).isEqualTo("431");
        }
    }

    @Test
    void headerBlockFarOverTheLimitEndsTheConnection() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            Http2Headers h = RawH2.get("/", "shop").add("x-huge", "v".repeat(512 * 1024));
            try {
                sendSplit(c, 1, c.block(1, h));
            } catch (IOException closedWhileWriting) {
                // the gateway may stop reading and close before the whole block is written
            }
            RawH2.Frame goAway = c.readUntil(GOAWAY, 0);
            assertThat(goAway).as("GOAWAY").isNotNull();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void continuationFloodEndsTheConnection() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            byte[] block = c.block(1, RawH2.get("/", "shop"));
            c.frame(HEADERS, 0, 1, block); // no END_HEADERS: CONTINUATION frames follow
            try {
                for (int i = 0; i < 10_000; i++) {
                    c.frame(CONTINUATION, 0, 1, new byte[0]);
                }
                c.flush();
            } catch (IOException closedWhileWriting) {
                // expected once the gateway gave up
            }
            RawH2.Frame goAway = c.readUntil(GOAWAY, 0);
            assertThat(goAway).as("GOAWAY").isNotNull();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void pingFloodFromAClientThatDoesNotReadEndsTheConnection() throws Exception {
        try (RawH2 c = new RawH2(port(), 4096)) {
            int pings = 1_000_000;
            try {
                for (int i = 0; i < pings; i++) {
                    c.ping(i);
                }
                c.flush();
            } catch (IOException closedWhileWriting) {
                // the gateway gave up on this connection while it was still being flooded
            }
            // the acknowledgements it could not send piled up past maxQueuedControlFrames: it closed without
            // answering them all (without the limit every PING gets its ACK and the connection stays open)
            long acks = c.framesUntilClosed(RawH2.PING);
            assertThat(acks).as("the gateway closed the connection").isNotNegative();
            assertThat(acks).isLessThan(pings);
        }
    }

    @Test
    void idleConnectionIsClosedWithGoAway() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            RawH2.Frame goAway = c.readUntil(GOAWAY, 0);
            assertThat(goAway).as("GOAWAY").isNotNull();
            assertThat(goAway.goAwayError()).isEqualTo(Http2Error.NO_ERROR.code());
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void shutdownSendsGoAwayWithTheLastStreamAndLetsItFinish() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            c.headers(1, RawH2.get("/hold", "shop"), true);
            c.flush();
            await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(f.gateway()::shutdown);
            RawH2.Frame goAway = c.readUntil(GOAWAY, 0);
            assertThat(goAway).as("GOAWAY").isNotNull();
            assertThat(goAway.goAwayLastStream()).isEqualTo(1);
            assertThat(goAway.goAwayError()).isEqualTo(Http2Error.NO_ERROR.code());
            f.backend("blue").releaseHeld();
            RawH2.Frame head = c.readUntil(HEADERS, 1);
            assertThat(head).isNotNull();
            assertThat(head.headers().status().toString()).isEqualTo("200");
            assertThat(c.closedByServer()).isTrue();
            shutdown.get(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientThatHalfClosesGetsItsOpenStreamAnsweredThenGoAway() throws Exception {
        try (RawH2 c = new RawH2(port())) {
            c.headers(1, RawH2.get("/hold", "shop"), true);
            c.shutdownOutput();
            await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").heldRequests() == 1);
            f.backend("blue").releaseHeld();
            RawH2.Frame head = c.readUntil(HEADERS, 1);
            assertThat(head).isNotNull();
            assertThat(head.headers().status().toString()).isEqualTo("200");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    /** One header block as HEADERS plus CONTINUATION frames of at most 16 KiB each. */
    private static void sendSplit(RawH2 c, int stream, byte[] block) throws IOException {
        int max = 16 * 1024;
        int n = Math.min(max, block.length);
        c.frame(HEADERS, RawH2.END_STREAM | (n == block.length ? RawH2.END_HEADERS : 0), stream, block, 0, n);
        for (int off = n; off < block.length; off += max) {
            int len = Math.min(max, block.length - off);
            c.frame(CONTINUATION, off + len == block.length ? RawH2.END_HEADERS : 0, stream, block, off, len);
        }
        c.flush();
    }
}
