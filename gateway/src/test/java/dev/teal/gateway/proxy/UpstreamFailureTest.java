package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UpstreamFailureTest {
    private final GatewayFixture f = new GatewayFixture();

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /**
     * A port on 127.0.0.1 where nothing listens: a socket bound to it but not listening holds it for the test, so no
     * other process can take it meanwhile, and a connect to it is refused.
     */
    private int deadPort() throws Exception {
        Socket holder = f.track(new Socket());
        holder.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return holder.getLocalPort();
    }

    /** A raw upstream that answers every connection with what {@code behavior} does. */
    private ServerSocket rawUpstream(java.util.function.Consumer<Socket> behavior) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    new Thread(() -> behavior.accept(s)).start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        f.track(server);
        return server;
    }

    /** The gateway with one service, {@code shop}, whose blue color has the given endpoints. */
    private void startShop(String settings, String blueEndpoints) throws Exception {
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                %s
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [%s]
                """.formatted(settings, blueEndpoints));
    }

    /** Reads one request head; false at the end of the stream. */
    private static boolean readsHead(InputStream in) throws Exception {
        int state = 0;
        int c;
        while ((c = in.read()) != -1) {
            state = (c == '\r' || c == '\n') ? state + 1 : 0;
            if (state == 4) {
                return true;
            }
        }
        return false;
    }

    private static void readHead(InputStream in) throws Exception {
        int state = 0;
        int c;
        while ((c = in.read()) != -1) {
            state = (c == '\r' || c == '\n') ? state + 1 : 0;
            if (state == 4) {
                return;
            }
        }
    }

    @Test
    void connectFailureIsRetriedOnAnotherEndpointOfTheSameColor() throws Exception {
        f.backend("blue", "blue");
        startShop("", "127.0.0.1:" + deadPort() + ", ${blue}");
        for (int i = 0; i < 20; i++) {
            assertThat(f.get("/").statusCode()).isEqualTo(200);
        }
        assertThat(f.gateway().metrics().scrape())
                .containsPattern("teal_upstream_errors_total\\{color=\"blue\",kind=\"connect\",service=\"shop\",} [1-9]");
    }

    @Test
    void maxAttemptsOfOneSendsAConnectFailureStraightTo502() throws Exception {
        f.backend("blue", "blue");
        startShop("upstream: {maxAttempts: 1, ejectAfterFailures: 1000}", "127.0.0.1:" + deadPort() + ", ${blue}");
        int failed = 0;
        for (int i = 0; i < 20; i++) {
            var r = f.get("/");
            if (r.statusCode() == 502) {
                assertThat(r.body()).isEqualTo("upstream connect failed\n");
                failed++;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(failed).as("requests sent to the dead endpoint first are not retried").isPositive();
        assertThat(f.adminGet("/config").body()).contains("\"maxAttempts\":1");
    }

    @Test
    void endpointThatKeepsFailingIsEjectedAndSkipped() throws Exception {
        f.backend("blue", "blue");
        startShop("upstream: {ejectAfterFailures: 2, ejectionTime: 30s}", "127.0.0.1:" + deadPort() + ", ${blue}");
        for (int i = 0; i < 30; i++) {
            var r = f.get("/");
            assertThat(r.statusCode()).as("a connect failure is retried on the healthy endpoint").isEqualTo(200);
            assertThat(r.body()).isEqualTo("blue\n");
        }
        assertThat(f.adminGet("/status").body()).contains("\"ejected\":true");
    }

    @Test
    void allEndpointsDownGives502WithAShortPlainBody() throws Exception {
        startShop("", "127.0.0.1:" + deadPort());
        var r = f.get("/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("upstream connect failed\n");
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    }

    @Test
    void upstreamThatNeverAnswersGives504AfterTheResponseTimeout() throws Exception {
        rawUpstream(s -> {
            try {
                readHead(s.getInputStream());
                Thread.sleep(30_000);
            } catch (Exception e) {
                // the gateway closed it
            }
        });
        ServerSocket silent = rawUpstream(s -> {
            try {
                readHead(s.getInputStream());
                s.getInputStream().read();
            } catch (Exception e) {
                // closed
            }
        });
        startShop("timeouts: {response: 300ms}", "127.0.0.1:" + silent.getLocalPort());
        var r = f.get("/");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).isEqualTo("upstream timed out\n");
    }

    @Test
    void upstreamSendingGarbageGives502() throws Exception {
        ServerSocket garbage = rawUpstream(s -> {
            try (s) {
                readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.getInputStream().read();
            } catch (Exception e) {
                // closed
            }
        });
        startShop("", "127.0.0.1:" + garbage.getLocalPort());
        assertThat(f.get("/").statusCode()).isEqualTo(502);
    }

    @Test
    void upstreamResettingMidResponseClosesTheClientConnectionAndIsNotRetried() throws Exception {
        AtomicInteger received = new AtomicInteger();
        ServerSocket cut = rawUpstream(s -> {
            try {
                readHead(s.getInputStream());
                received.incrementAndGet();
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                s.setSoLinger(true, 0);
                s.close();
            } catch (Exception e) {
                // done
            }
        });
        startShop("", "127.0.0.1:" + cut.getLocalPort());
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("GET / HTTP/1.1\r\nHost: shop\r\n\r\n");
            RawClient.Response r = c.read(); // reads what came until the gateway closed
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body().length).isLessThan(1000); // a truncated answer must not look whole:
            assertThat(c.isClosedByPeer(5000)).isTrue(); // the connection is closed, not kept alive
        }
        // a byte of the response was received: nothing is retried (a retry would come before the client's close)
        assertThat(received.get()).as("requests the backend received").isEqualTo(1);
        assertThat(f.gateway().metrics().scrape())
                .containsPattern("teal_upstream_errors_total\\{color=\"blue\",kind=\"reset\",service=\"shop\",} 1.0");
    }

    /**
     * A backend that keeps its connections alive answers the first request with an invalid response: the client gets
     * 502 and that upstream connection is never used again, while a good connection is reused for every later request.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nX(A): 1\r\nContent-Length: 2\r\n\r\nok",
            "HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 2\r\n\r\nok"})
    void upstreamConnectionThatSentABadResponseIsNeverReused(String bad) throws Exception {
        java.util.List<AtomicInteger> perConnection = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<java.util.concurrent.CountDownLatch> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger total = new AtomicInteger();
        ServerSocket keepAlive = rawUpstream(s -> {
            AtomicInteger mine = new AtomicInteger();
            java.util.concurrent.CountDownLatch end = new java.util.concurrent.CountDownLatch(1);
            synchronized (perConnection) {
                perConnection.add(mine);
                ended.add(end);
            }
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (readsHead(in)) {
                    mine.incrementAndGet();
                    String answer = total.getAndIncrement() == 0 ? bad
                            : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"; // keep-alive
                    out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (Exception e) {
                // reset
            } finally {
                end.countDown();
            }
        });
        startShop("workers: 1", "127.0.0.1:" + keepAlive.getLocalPort());
        var first = f.get("/");
        assertThat(first.statusCode()).isEqualTo(502);
        assertThat(first.body()).isEqualTo("upstream sent an invalid response\n");
        for (int i = 0; i < 5; i++) {
            var r = f.get("/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("ok\n");
        }
        assertThat(ended.get(0).await(5, java.util.concurrent.TimeUnit.SECONDS))
                .as("the gateway closed the connection that sent the bad response").isTrue();
        assertThat(perConnection.get(0).get()).as("requests on the bad connection").isEqualTo(1);
        assertThat(perConnection).as("one more connection, reused for the 5 good requests").hasSize(2);
        assertThat(perConnection.get(1).get()).isEqualTo(5);
    }

    @Test
    void closedPooledConnectionIsNotUsedAndTheNextRequestSucceeds() throws Exception {
        AtomicInteger served = new AtomicInteger();
        ServerSocket oneShot = rawUpstream(s -> {
            try (s) {
                readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                // answers keep-alive, then closes the connection right away
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                served.incrementAndGet();
            } catch (Exception e) {
                // done
            }
        });
        startShop("", "127.0.0.1:" + oneShot.getLocalPort());
        for (int i = 0; i < 10; i++) {
            assertThat(f.get("/").statusCode()).isEqualTo(200);
            int want = i + 1;
            await().atMost(Duration.ofSeconds(5)).until(() -> served.get() >= want);
        }
    }

    @Test
    void serviceWithoutHealthyEndpointGives503() throws Exception {
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                services:
                  shop:
                    active: blue
                    healthCheck: {path: /healthz, interval: 100ms, timeout: 500ms, unhealthyThreshold: 1}
                    colors:
                      blue: [${blue}]
                """);
        f.backend("blue").setHealthy(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> f.get("/").statusCode() == 503);
        assertThat(f.get("/").body()).isEqualTo("no healthy endpoint\n");
        f.backend("blue").setHealthy(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> f.get("/").statusCode() == 200);
    }

    /** Two services: {@code shop} on the given endpoints, {@code api} (host api) on a healthy backend. */
    private void startWithHealthySibling(String shopEndpoints, String settings) throws Exception {
        f.backend("api", "api");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                %s
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [%s]
                  api:
                    hosts: [api]
                    active: blue
                    colors:
                      blue: [${api}]
                """.formatted(settings, shopEndpoints));
    }

    /** Runs {@code fault} while a client of the sibling service sends requests; answers the sibling's statuses. */
    private java.util.List<Integer> whileSiblingIsUsed(java.util.concurrent.Callable<?> fault) throws Exception {
        return whileSiblingIsUsed(fault, null);
    }

    /**
     * The same; with a {@code bound}, a sibling request that takes longer counts as a failure ({@code -status}): for a
     * fault that makes the gateway wait (a timeout), siblings must not wait with it.
     */
    private java.util.List<Integer> whileSiblingIsUsed(java.util.concurrent.Callable<?> fault, Duration bound)
            throws Exception {
        java.util.List<Integer> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread sibling = new Thread(() -> {
            try (RawClient c = new RawClient(f.gateway().proxyPort())) {
                for (int i = 0; i < 2000 && !stop.get(); i++) {
                    long t0 = System.nanoTime();
                    int status = c.get("/", "api").status();
                    boolean waited = bound != null && System.nanoTime() - t0 >= bound.toNanos();
                    statuses.add(waited ? -status : status);
                }
            } catch (Exception e) {
                statuses.add(-1);
            }
        });
        sibling.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> statuses.size() >= 5);
            fault.call();
        } finally {
            stop.set(true);
            sibling.join(10_000);
        }
        return statuses;
    }

    @Test
    void backendRefusingConnectionsGives502AndLeavesOtherServicesAlone() throws Exception {
        startWithHealthySibling("127.0.0.1:" + deadPort(), "");
        var sibling = whileSiblingIsUsed(() -> {
            assertThat(f.get("/").statusCode()).isEqualTo(502);
            return null;
        });
        assertThat(sibling).isNotEmpty().allMatch(s -> s == 200);
    }

    @Test
    void backendResettingMidResponseLeavesOtherServicesAlone() throws Exception {
        ServerSocket cut = rawUpstream(s -> {
            try {
                readHead(s.getInputStream());
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                s.setSoLinger(true, 0);
                s.close();
            } catch (Exception e) {
                // done
            }
        });
        startWithHealthySibling("127.0.0.1:" + cut.getLocalPort(), "");
        var sibling = whileSiblingIsUsed(() -> {
            try (RawClient c = new RawClient(f.gateway().proxyPort())) {
                c.send("GET / HTTP/1.1\r\nHost: shop\r\n\r\n");
                assertThat(c.read().body().length).isLessThan(100);
                assertThat(c.isClosedByPeer(5000)).isTrue();
            }
            return null;
        });
        assertThat(sibling).isNotEmpty().allMatch(s -> s == 200);
    }

    /**
     * A backend that accepts and never answers costs at most {@code ejectAfterFailures} answers of 504 (each at the
     * response timeout); then it is ejected and its healthy sibling takes every request. Other services never wait.
     */
    @Test
    void backendThatAcceptsAndNeverAnswersIsEjectedAfterConsecutiveTimeouts() throws Exception {
        ServerSocket silent = rawUpstream(s -> {
            try {
                while (s.getInputStream().read() != -1) {
                    // swallow requests, answer nothing
                }
            } catch (Exception e) {
                // closed
            }
        });
        f.backend("blue", "blue");
        Duration responseTimeout = Duration.ofMillis(1500);
        startWithHealthySibling("127.0.0.1:" + silent.getLocalPort() + ", ${blue}",
                "timeouts: {response: " + responseTimeout.toMillis() + "ms}\n"
                        + "upstream: {ejectAfterFailures: 2, ejectionTime: 1m}");
        int[] timeouts = {0};
        var sibling = whileSiblingIsUsed(() -> {
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                var r = f.get("/");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (r.statusCode() == 200) {
                    assertThat(r.body()).isEqualTo("blue\n");
                    assertThat(ms).as("healthy endpoint of the same color").isLessThan(responseTimeout.toMillis());
                } else {
                    assertThat(r.statusCode()).isEqualTo(504); // sent: not retried, answered at the timeout
                    assertThat(ms).isGreaterThanOrEqualTo(responseTimeout.toMillis() - 50);
                    timeouts[0]++;
                }
            }
            return null;
        }, responseTimeout); // a sibling request never waits as long as the timeout the faulty backend causes
        assertThat(timeouts[0]).as("504s before the silent endpoint is ejected").isBetween(0, 2);
        assertThat(f.adminGet("/status").body()).contains("\"ejected\":true");
        assertThat(sibling).isNotEmpty().allMatch(s -> s == 200);
    }

    @Test
    void backendSendingGarbageGives502WithoutInternalsAndLeavesOtherServicesAlone() throws Exception {
        ServerSocket garbage = rawUpstream(s -> {
            try (s) {
                readHead(s.getInputStream());
                s.getOutputStream().write("\u0000\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                s.getInputStream().read();
            } catch (Exception e) {
                // closed
            }
        });
        startWithHealthySibling("127.0.0.1:" + garbage.getLocalPort(), "");
        var sibling = whileSiblingIsUsed(() -> {
            var r = f.get("/");
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).isEqualTo("upstream sent an invalid response\n")
                    .doesNotContain("127.0.0.1").doesNotContain("Exception");
            return null;
        });
        assertThat(sibling).isNotEmpty().allMatch(s -> s == 200);
    }

    @Test
    void keepAliveConnectionClosedJustAsARequestIsSentIsNotRetriedOnceTheRequestWent() throws Exception {
        AtomicInteger heads = new AtomicInteger();
        ServerSocket closesOnSecond = rawUpstream(s -> {
            try (s) {
                InputStream in = s.getInputStream();
                readHead(in);
                heads.incrementAndGet();
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                readHead(in); // the next request arrives on the kept-alive connection: close without an answer
                heads.incrementAndGet();
            } catch (Exception e) {
                // done
            }
        });
        startWithHealthySibling("127.0.0.1:" + closesOnSecond.getLocalPort(), "");
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop").status()).isEqualTo(200);
            c.send("POST / HTTP/1.1\r\nHost: shop\r\nContent-Length: 2\r\n\r\nhi");
            RawClient.Response r = c.read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.text()).isEqualTo("upstream closed the connection\n");
        }
        assertThat(heads.get()).as("the POST reached the backend once: never replayed").isEqualTo(2);
        assertThat(f.get("/").statusCode()).isEqualTo(200); // a fresh connection serves the next request
    }
}
