package dev.teal.gateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 1,000 connections trickle header lines while normal clients keep sending requests. The trickling connections
 * get 408 and are closed at the header timeout; normal traffic sees no error. Latency figures (baseline and under
 * attack) are logged, not asserted: this machine is shared and its timings are noise.
 */
class SlowlorisTest {
    private static final Logger LOG = LoggerFactory.getLogger(SlowlorisTest.class);
    private static final int CLIENTS = 4;
    private static GatewayFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                timeouts: {header: 2s}
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [${blue}]
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    /** Normal traffic: {@link #CLIENTS} keep-alive clients, each until {@code stop} or {@code max} requests. */
    private static long[] traffic(AtomicBoolean stop, int max, AtomicInteger errors) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            Future<?>[] runs = new Future<?>[CLIENTS];
            long[][] lat = new long[CLIENTS][max];
            int[] done = new int[CLIENTS];
            for (int k = 0; k < CLIENTS; k++) {
                int me = k;
                runs[k] = pool.submit(() -> {
                    try (RawClient c = new RawClient(f.gateway().proxyPort())) {
                        for (int i = 0; i < max && !stop.get(); i++) {
                            long t0 = System.nanoTime();
                            if (c.get("/", "shop").status() != 200) {
                                errors.incrementAndGet();
                            }
                            lat[me][done[me]++] = System.nanoTime() - t0;
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    return null;
                });
            }
            for (Future<?> r : runs) {
                r.get();
            }
            return Arrays.stream(lat).flatMapToLong(l -> Arrays.stream(l).filter(x -> x > 0)).sorted().toArray();
        } finally {
            pool.shutdownNow();
        }
    }

    private static String figures(long[] sorted) {
        return "n=%d p50=%.2fms p99=%.2fms max=%.2fms".formatted(sorted.length, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    @Test
    void trickledHeadsGet408AtTheHeaderTimeoutWhileNormalTrafficSeesNoError() throws Exception {
        AtomicInteger errors = new AtomicInteger();
        long[] baseline = traffic(new AtomicBoolean(), 3000, errors);

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService attacker = Executors.newSingleThreadExecutor();
        Future<Slowloris.Result> attack = attacker.submit(() -> {
            try {
                return Slowloris.run(f.gateway().proxyPort(), 1000, Duration.ofMillis(200), Duration.ofSeconds(20));
            } finally {
                stop.set(true);
            }
        });
        long[] underAttack = traffic(stop, 1_000_000, errors);
        Slowloris.Result r = attack.get();
        attacker.shutdownNow();

        LOG.atInfo().addKeyValue("baseline", figures(baseline)).addKeyValue("underAttack", figures(underAttack))
                .addKeyValue("trickling", r.opened()).addKeyValue("closed", r.closed())
                .addKeyValue("answers", r.byStatus()).addKeyValue("took", r.took()).log("slowloris");
        assertThat(errors.get()).isZero();
        assertThat(r.closed()).isEqualTo(1000);
        assertThat(r.byStatus()).containsOnlyKeys("HTTP/1.1 408 Request Timeout");
        assertThat(r.took()).isLessThan(Duration.ofSeconds(10)); // closed at the 2 s header timeout, not later
    }
}
