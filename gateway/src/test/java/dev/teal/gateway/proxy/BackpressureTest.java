package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream with backpressure: a client that stops reading a 64 MiB response, or an upstream that stops reading a
 * 64 MiB request body, cannot make the gateway buffer the body. Proved with the gateway's own memory (it runs in this
 * JVM: the buffers of Netty's default allocator, and the heap) and with the sender, which the gateway stops taking
 * bytes from: it cannot get the whole body out while the other side does not read.
 */
class BackpressureTest {
    private static final long BODY = 64L * 1024 * 1024;
    private static final long MEMORY_BOUND = 16L * 1024 * 1024; // a quarter of the body
    private static final int CHUNK = 64 * 1024;

    private final GatewayFixture f = new GatewayFixture();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        f.close();
    }

    /** Memory the gateway holds in Netty buffers (direct and heap) plus the JVM heap in use, after a collection. */
    private static long gatewayMemory() {
        System.gc();
        ByteBufAllocatorMetric m = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        Runtime rt = Runtime.getRuntime();
        return m.usedDirectMemory() + (rt.totalMemory() - rt.freeMemory());
    }

    /** Waits until {@code counter} stops moving (the sender is blocked: the gateway takes nothing more). */
    private static void awaitStalled(AtomicLong counter) {
        long[] last = {-1};
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = counter.get();
            boolean stalled = now == last[0] && now > 0;
            last[0] = now;
            return stalled;
        });
    }

    private ServerSocket upstream(java.util.function.Consumer<Socket> behavior) throws Exception {
        ServerSocket server = f.track(new ServerSocket());
        server.setReceiveBufferSize(CHUNK);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread t = new Thread(() -> {
            try {
                Socket s = server.accept();
                behavior.accept(s);
            } catch (Exception e) {
                // closed
            }
        }, "backpressure-upstream");
        t.setDaemon(true);
        t.start();
        return server;
    }

    private void startShop(int port) throws Exception {
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                workers: 1
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [127.0.0.1:%d]
                """.formatted(port));
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
    void clientThatStopsReadingALargeResponseDoesNotMakeTheGatewayBufferIt() throws Exception {
        AtomicLong written = new AtomicLong();
        ServerSocket backend = upstream(s -> {
            try (s) {
                s.setSendBufferSize(CHUNK);
                readHead(s.getInputStream());
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[CHUNK];
                for (long sent = 0; sent < BODY; sent += CHUNK) {
                    out.write(chunk); // blocks while the gateway does not read
                    written.addAndGet(CHUNK);
                }
                out.flush();
                s.getInputStream().read();
            } catch (Exception e) {
                // closed
            }
        });
        startShop(backend.getLocalPort());
        long before = gatewayMemory();

        try (Socket client = new Socket()) {
            client.setReceiveBufferSize(CHUNK);
            client.connect(new InetSocketAddress("127.0.0.1", f.gateway().proxyPort()), 2000);
            client.setSoTimeout(30_000);
            client.getOutputStream().write("GET /big HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = client.getInputStream();
            readHead(in);
            long read = in.readNBytes(1024 * 1024).length; // a trickle, then the client stops reading

            awaitStalled(written);
            long held = gatewayMemory() - before;
            System.out.printf("backpressure response: backend wrote %d of %d bytes, client read %d, gateway memory +%d%n",
                    written.get(), BODY, read, held);
            assertThat(written.get()).as("the backend could not send the whole body past a client that does not read")
                    .isLessThan(BODY);
            assertThat(held).as("memory the gateway holds while the client does not read").isLessThan(MEMORY_BOUND);

            // then the client reads it all: nothing was lost
            byte[] buf = new byte[CHUNK];
            int n;
            while (read < BODY && (n = in.read(buf)) > 0) {
                read += n;
            }
            assertThat(read).isEqualTo(BODY);
        }
    }

    @Test
    void upstreamThatStopsReadingALargeRequestBodyDoesNotMakeTheGatewayBufferIt() throws Exception {
        AtomicLong received = new AtomicLong();
        ServerSocket backend = upstream(s -> {
            try (s) {
                InputStream in = s.getInputStream();
                readHead(in);
                received.addAndGet(in.readNBytes(1024 * 1024).length); // a trickle, then it stops reading
                release.await(60, TimeUnit.SECONDS);
                byte[] buf = new byte[CHUNK];
                int n;
                while (received.get() < BODY && (n = in.read(buf)) > 0) {
                    received.addAndGet(n);
                }
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                in.read();
            } catch (Exception e) {
                // closed
            }
        });
        startShop(backend.getLocalPort());
        long before = gatewayMemory();

        AtomicLong sent = new AtomicLong();
        try (RawClient client = new RawClient(f.gateway().proxyPort())) {
            Thread writer = new Thread(() -> {
                try {
                    client.send("POST /upload HTTP/1.1\r\nHost: shop\r\nContent-Length: " + BODY + "\r\n\r\n");
                    byte[] chunk = new byte[CHUNK];
                    for (long n = 0; n < BODY; n += CHUNK) {
                        client.send(chunk); // blocks while the gateway does not read
                        sent.addAndGet(CHUNK);
                    }
                } catch (Exception e) {
                    // closed
                }
            }, "backpressure-client");
            writer.setDaemon(true);
            writer.start();

            awaitStalled(sent);
            long held = gatewayMemory() - before;
            System.out.printf("backpressure request: client sent %d of %d bytes, upstream read %d, gateway memory +%d%n",
                    sent.get(), BODY, received.get(), held);
            assertThat(sent.get()).as("the client could not send the whole body past an upstream that does not read")
                    .isLessThan(BODY);
            assertThat(held).as("memory the gateway holds while the upstream does not read").isLessThan(MEMORY_BOUND);

            release.countDown(); // the upstream reads the rest and answers
            RawClient.Response r = client.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(received.get()).isEqualTo(BODY);
            writer.join(10_000);
        }
    }
}
