package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.teal.gateway.Gateway;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.drain.Drain;
import dev.teal.gateway.drain.DrainTracker;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A drain ends as "drained" only when no request routed to the old color is in flight, even for a request that read
 * the routing snapshot on another event loop at the very moment of the switch. Many event loops, many switches, and
 * at every switch a burst of requests released at the switch instant and held by the backend until the test lets
 * them go: while one of them is held on the old color, that color's drain must still be open.
 */
class DrainEndsExactlyTest {
    private static final int SWITCHES = 20;
    private static final int BURST = 12;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService clients = Executors.newFixedThreadPool(BURST);
    private HoldingBackend blue;
    private HoldingBackend green;
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        blue = new HoldingBackend("blue");
        green = new HoldingBackend("green");
        gateway = Gateway.start(ConfigParser.parse("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                workers: 4
                services:
                  shop:
                    active: blue
                    drainTimeout: 30s
                    colors:
                      blue:  [127.0.0.1:%d]
                      green: [127.0.0.1:%d]
                """.formatted(blue.port(), green.port())));
    }

    @AfterEach
    void stop() {
        clients.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
        blue.close();
        green.close();
    }

    @Test
    void drainNeverEndsWhileARequestRoutedAtTheSwitchInstantIsStillOnTheOldColor() throws Exception {
        DrainTracker drains = gateway.router().current().service("shop").service().drains();
        int heldOnOldColor = 0;
        for (int i = 0; i < SWITCHES; i++) {
            String from = i % 2 == 0 ? "blue" : "green";
            String to = i % 2 == 0 ? "green" : "blue";
            HoldingBackend old = i % 2 == 0 ? blue : green;
            CountDownLatch release = new CountDownLatch(1);
            blue.holdUntil(release);
            green.holdUntil(release);
            int arrivedBefore = blue.arrived.get() + green.arrived.get();
            Drain lastBefore = drains.last();

            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> burst = new ArrayList<>();
            for (int k = 0; k < BURST; k++) {
                burst.add(clients.submit(() -> {
                    go.await();
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.proxyPort()
                            + "/hold")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            SwitchOutcome outcome = gateway.switchTo("shop", to, false);
            assertThat(outcome).isInstanceOf(SwitchOutcome.Switched.class);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> blue.arrived.get() + green.arrived.get() == arrivedBefore + BURST);
            int held = old.held.get();
            if (held > 0) {
                heldOnOldColor++;
                Drain last = drains.last();
                boolean endedSinceSwitch = last != lastBefore && last.color().equals(from);
                assertThat(endedSinceSwitch && last.result() == Drain.Result.DRAINED)
                        .as("switch %d: %d request(s) held on %s, yet its drain ended as drained", i, held, from)
                        .isFalse();
                assertThat(drains.inProgress()).extracting(Drain::color).contains(from);
            }
            release.countDown();
            for (Future<HttpResponse<String>> r : burst) {
                assertThat(r.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> drains.inProgress().isEmpty());
            assertThat(drains.last().color()).isEqualTo(from);
            assertThat(drains.last().result()).isEqualTo(Drain.Result.DRAINED);
        }
        System.out.println("switches with requests held on the old color: " + heldOnOldColor + " of " + SWITCHES);
    }

    /** A backend whose {@code /hold} requests wait for the test's latch; counts what arrived and what it holds. */
    private static final class HoldingBackend implements AutoCloseable {
        final AtomicInteger arrived = new AtomicInteger();
        final AtomicInteger held = new AtomicInteger();
        private final HttpServer server;
        private volatile CountDownLatch gate = new CountDownLatch(0);

        HoldingBackend(String color) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                CountDownLatch g = gate;
                held.incrementAndGet();
                arrived.incrementAndGet();
                try {
                    g.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
                byte[] body = (color + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        void holdUntil(CountDownLatch latch) {
            gate = latch;
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
