package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.testing.GatewayFixture;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 details found by the external conformance corpus (issue 11), proven over real sockets: a half-closed
 * client still gets its answer, the gateway's own answers to HEAD carry no body, and request-target bytes reach the
 * upstream unchanged. (The refusals are entries of the hardening corpus.)
 */
class Http1ConformanceTest {
    private GatewayFixture f;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    /** Sends the bytes, optionally shuts down the write side, and reads until the gateway closes. */
    private static String exchange(int port, String request, boolean halfClose) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void clientThatHalfClosesAfterACompleteRequestStillGetsTheResponse() throws Exception {
        f = GatewayFixture.blueGreen("");
        String answer = exchange(f.gateway().proxyPort(), "GET / HTTP/1.1\r\nHost: shop\r\n\r\n", true);
        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nblue\n"); // and then the gateway closed
    }

    @Test
    void halfClosedClientGetsEveryPipelinedAnswerThenTheConnectionCloses() throws Exception {
        f = GatewayFixture.blueGreen("");
        String answer = exchange(f.gateway().proxyPort(),
                "GET /a HTTP/1.1\r\nHost: shop\r\n\r\nGET /b HTTP/1.1\r\nHost: shop\r\n\r\n", true);
        assertThat(answer.split("HTTP/1.1 200 ", -1)).hasSize(3);
        assertThat(answer).endsWith("blue\n");
    }

    @Test
    void clientThatHalfClosesInTheMiddleOfARequestGetsNoAnswerAndTheBackendNoRequest() throws Exception {
        f = GatewayFixture.blueGreen("");
        String answer = exchange(f.gateway().proxyPort(), "GET / HTTP/1.1\r\nHost: sh", true);
        assertThat(answer).doesNotContain("200");
        assertThat(f.backend("blue").requests()).isZero();
    }

    @Test
    void gatewaysOwnAnswerToHeadHasNoBody() throws Exception {
        f = GatewayFixture.blueGreen("");
        // refused (400) and no-route style answers: headers only, Content-Length says what GET would get
        String refused = exchange(f.gateway().proxyPort(), "HEAD / HTTP/1.1\r\nHost: a/b\r\n\r\n", false);
        assertThat(refused).startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\n");
        f.switchTo("shop", "green");
        f.backend("green").close(); // the serving color's only endpoint goes away: 502 from the gateway itself
        String failed = exchange(f.gateway().proxyPort(), "HEAD / HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n",
                false);
        assertThat(failed).startsWith("HTTP/1.1 502 ").endsWith("\r\n\r\n");
    }

    @Test
    void requestTargetBytesReachTheUpstreamUnchanged() throws Exception {
        try (ServerSocket backend = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> requestLine = CompletableFuture.supplyAsync(() -> {
                try (Socket s = backend.accept()) {
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream line = new ByteArrayOutputStream();
                    int b;
                    while ((b = in.read()) != '\n' && b >= 0) {
                        line.write(b);
                    }
                    s.getOutputStream().write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    return line.toString(StandardCharsets.ISO_8859_1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            f = new GatewayFixture();
            f.start("""
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    services:
                      shop:
                        active: blue
                        colors:
                          blue: [127.0.0.1:%d]
                    """.formatted(backend.getLocalPort()));
            String target = "/caf%C3%A9?q=%E2%82%AC&x=a'b|c";
            String answer = exchange(f.gateway().proxyPort(),
                    "GET " + target + " HTTP/1.1\r\nHost: shop\r\nConnection: close\r\n\r\n", false);
            assertThat(answer).startsWith("HTTP/1.1 204 ");
            assertThat(requestLine.get(10, TimeUnit.SECONDS)).isEqualTo("GET " + target + " HTTP/1.1\r");
            // raw non-ASCII bytes are refused, never re-encoded
            String raw = exchange(f.gateway().proxyPort(), "GET /caf\u00c3\u00a9 HTTP/1.1\r\nHost: shop\r\n\r\n", false);
            assertThat(raw).startsWith("HTTP/1.1 400 ");
        }
    }
}
