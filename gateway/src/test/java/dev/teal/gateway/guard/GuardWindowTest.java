package dev.teal.gateway.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.guard.LatencyBuckets;
import dev.teal.contract.guard.WindowFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GuardWindowTest {

    @Test
    void concurrentRecordsAcrossSecondBoundariesAreAllCounted() throws Exception {
        GuardWindow w = new GuardWindow(30);
        w.restart();
        int threads = 4;
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong slow = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long until = System.nanoTime() + 2_200_000_000L; // crosses at least two second boundaries (each resets a slot)
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long n = 0;
                while (System.nanoTime() < until) {
                    boolean error = (n + id) % 20 == 0;
                    boolean isSlow = (n + id) % 50 == 0;
                    w.record(error ? 503 : 200, isSlow ? 800_000_000L : 2_000_000L);
                    requests.incrementAndGet();
                    if (error) {
                        errors.incrementAndGet();
                    }
                    if (isSlow) {
                        slow.incrementAndGet();
                    }
                    n++;
                }
            });
            th.start();
            workers.add(th);
        }
        start.countDown();
        for (Thread th : workers) {
            th.join(10_000);
        }

        WindowFigures f = w.figures();
        assertThat(f.requests()).isEqualTo(requests.get()).isPositive();
        assertThat(f.errors()).isEqualTo(errors.get());
        assertThat(f.latency()[LatencyBuckets.index(800_000_000L)]).isEqualTo(slow.get());
        assertThat(f.latency()[LatencyBuckets.index(2_000_000L)]).isEqualTo(requests.get() - slow.get());
        assertThat(w.coveredSeconds()).isBetween(3L, 4L);
    }

    @Test
    void restartForgetsWhatCameBefore() {
        GuardWindow w = new GuardWindow(5);
        w.record(500, 1_000_000L);
        assertThat(w.figures().requests()).isEqualTo(1);
        w.restart();
        assertThat(w.figures().requests()).isZero();
        w.record(200, 1_000_000L);
        assertThat(w.figures().requests()).isEqualTo(1);
        assertThat(w.figures().errors()).isZero();
    }
}
