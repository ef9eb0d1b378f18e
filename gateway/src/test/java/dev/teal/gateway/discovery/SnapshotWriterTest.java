package dev.teal.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.contract.HostPort;
import dev.teal.gateway.config.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot file on a real disk: debounced, written off the caller's thread, always whole. */
class SnapshotWriterTest {
    @TempDir
    Path dir;

    @Test
    void burstOfChangesIsFoldedIntoOneMoreWriteAtLeastAnIntervalLaterWithTheNewest() throws Exception {
        SnapshotFile file = new SnapshotFile(dir.resolve("snap.json"));
        Duration interval = Duration.ofSeconds(1);
        ConcurrentLinkedQueue<Long> writtenAt = new ConcurrentLinkedQueue<>();
        try (SnapshotWriter<ServiceMapBuilder.Result> writer = new SnapshotWriter<>(r -> {
            file.save(r, Instant.now());
            writtenAt.add(System.nanoTime());
        }, interval, "snap.json")) {
            writer.offer(result(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.writes() == 1);
            assertThat(size(file)).as("the first change after a quiet time is written at once").isEqualTo(1);
            for (int i = 2; i <= 50; i++) {
                writer.offer(result(i));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> size(file) == 50);
            assertThat(writer.writes()).as("49 more changes, one write").isEqualTo(2);
            assertThat(writer.failures()).isZero();
        }
        List<Long> times = new ArrayList<>(writtenAt);
        assertThat(times).hasSize(2);
        assertThat(times.get(1) - times.get(0)).as("time between the two writes")
                .isGreaterThanOrEqualTo(interval.toNanos() - TimeUnit.MILLISECONDS.toNanos(5));
    }

    @Test
    void offerNeverWaitsForTheDiskAndTheNewestWinsOnceItIsFree() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch disk = new CountDownLatch(1);
        AtomicReference<ServiceMapBuilder.Result> last = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        try (SnapshotWriter<ServiceMapBuilder.Result> writer = new SnapshotWriter<>(r -> {
            calls.incrementAndGet();
            writing.countDown();
            try {
                disk.await(30, TimeUnit.SECONDS); // a disk that hangs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            last.set(r);
        }, Duration.ofMillis(50), "stuck")) {
            writer.offer(result(1));
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 2; i <= 200; i++) {
                writer.offer(result(i)); // returns while the first write hangs
            }
            assertThat(calls.get()).as("nothing else written while the disk hangs").isEqualTo(1);
            disk.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> last.get() != null
                    && last.get().services().size() == 200);
            assertThat(calls.get()).as("200 changes, two writes").isEqualTo(2);
        }
    }

    @Test
    void readersAlwaysFindAWholeValidFileWhileItIsRewritten() throws Exception {
        Path path = dir.resolve("snap.json");
        SnapshotFile file = new SnapshotFile(path);
        ServiceMapBuilder.Result big = result(1000);
        ServiceMapBuilder.Result small = result(3);
        file.save(small, Instant.now());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
        Thread reader = new Thread(() -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!stop.get() && System.nanoTime() < end && reads.get() < 100_000) {
                try {
                    int n = file.load().services().size();
                    if (n != 1000 && n != 3) {
                        bad.add("read " + n + " services");
                    }
                } catch (RuntimeException e) {
                    bad.add(e.toString());
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        try (SnapshotWriter<ServiceMapBuilder.Result> writer = new SnapshotWriter<>(r -> file.save(r, Instant.now()),
                Duration.ZERO, "snap.json")) {
            for (int i = 0; i < 40; i++) {
                writer.offer(i % 2 == 0 ? big : small);
                int target = i + 1;
                await().atMost(Duration.ofSeconds(10)).until(() -> writer.writes() >= target);
            }
            assertThat(writer.failures()).isZero();
        } finally {
            stop.set(true);
            reader.join(30_000);
        }
        assertThat(reads.get()).isPositive();
        assertThat(bad).as("every read sees one whole snapshot").isEmpty();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("snap.json");
        }
    }

    @Test
    void closeWritesThePendingSnapshotWithoutWaitingForTheInterval() throws Exception {
        SnapshotFile file = new SnapshotFile(dir.resolve("snap.json"));
        SnapshotWriter<ServiceMapBuilder.Result> writer = new SnapshotWriter<>(r -> file.save(r, Instant.now()),
                Duration.ofMinutes(10), "snap.json");
        writer.offer(result(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.writes() == 1);
        writer.offer(result(7)); // due in 10 minutes

        writer.close();

        assertThat(size(file)).isEqualTo(7);
        assertThat(writer.writes()).isEqualTo(2);
        writer.offer(result(9)); // after close: ignored
        assertThat(size(file)).isEqualTo(7);
    }

    @Test
    void failedWriteIsCountedAndTheNextOneStillHappens() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        SnapshotFile unwritable = new SnapshotFile(blocker.resolve("snap.json"));
        AtomicBoolean broken = new AtomicBoolean(true);
        SnapshotFile good = new SnapshotFile(dir.resolve("snap.json"));
        try (SnapshotWriter<ServiceMapBuilder.Result> writer = new SnapshotWriter<>(
                r -> (broken.get() ? unwritable : good).save(r, Instant.now()), Duration.ofMillis(10), "snap.json")) {
            writer.offer(result(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.failures() == 1);
            broken.set(false);
            writer.offer(result(2));
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.writes() == 1);
            assertThat(size(good)).isEqualTo(2);
        }
    }

    private static int size(SnapshotFile file) {
        ServiceMapBuilder.Result r = file.load();
        return r == null ? -1 : r.services().size();
    }

    static ServiceMapBuilder.Result result(int services) {
        Map<String, ServiceConfig> map = new LinkedHashMap<>();
        Map<String, ServiceMapBuilder.Origin> origins = new LinkedHashMap<>();
        for (int i = 0; i < services; i++) {
            String key = "svc-" + i + ".ns";
            map.put(key, new ServiceConfig(key, List.of("svc-" + i + ".example.com"), "blue", Duration.ofSeconds(30),
                    0, 0, null, Map.of("blue", List.of(HostPort.parse("10.0." + (i / 250) + "." + (i % 250 + 1) + ":8080")),
                    "green", List.of())));
            origins.put(key, new ServiceMapBuilder.Origin("ns", "svc-" + i, "blue", String.valueOf(i)));
        }
        return new ServiceMapBuilder.Result(map, origins);
    }
}
