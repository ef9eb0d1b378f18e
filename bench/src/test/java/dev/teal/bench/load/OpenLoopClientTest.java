package dev.teal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.bench.backend.ColorBackend;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The open-loop client against a real backend on a real socket. */
class OpenLoopClientTest {
    private ColorBackend backend;
    private InetSocketAddress address;

    @BeforeEach
    void startBackend() throws InterruptedException {
        backend = ColorBackend.start(Map.of("blue", 0));
        address = new InetSocketAddress("127.0.0.1", backend.port(0));
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    @Test
    void sendsEveryScheduledRequestNoEarlierThanItsIntendedTime() throws InterruptedException {
        RequestLog log;
        try (OpenLoopClient client = new OpenLoopClient(address, "/", 8)) {
            log = client.run(Schedule.of(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100), 2000, 1));
        }

        assertThat(log.count()).isEqualTo(2000);
        for (int i = 0; i < log.count(); i++) {
            assertThat(log.ok(i)).as("request %d answered 200", i).isTrue();
            assertThat(log.color(i)).isEqualTo("blue");
            assertThat(log.sentNanos(i)).isGreaterThanOrEqualTo(log.schedule().intendedNanos(i));
            assertThat(log.latencyNanos(i)).isEqualTo(log.answeredNanos(i) - log.schedule().intendedNanos(i));
        }
    }

    @Test
    void chargesAStalledServerForEveryRequestItDelayed() throws InterruptedException {
        // one connection, answers take 200 ms, requests due every 50 ms: request k cannot be answered before
        // (k + 1) * 200 ms, so its latency from the intended time is at least 200 + 150 k ms
        RequestLog log;
        try (OpenLoopClient client = new OpenLoopClient(address, "/slow?ms=200", 1)) {
            log = client.run(Schedule.of(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100), 20, 1));
        }

        assertThat(log.count()).isEqualTo(20);
        for (int k = 0; k < log.count(); k++) {
            assertThat(log.ok(k)).isTrue();
            assertThat(log.latencyNanos(k)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200 + 150L * k));
        }
    }
}
