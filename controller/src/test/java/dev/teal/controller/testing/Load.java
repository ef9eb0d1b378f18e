package dev.teal.controller.testing;

import dev.teal.gateway.discovery.ClusterGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady GET / load through several gateways (two keep-alive clients per gateway), bounded in requests and time.
 * Counts answers by body (the backend's color) and keeps the first failures.
 */
public final class Load implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final Map<String, AtomicLong> byColor = new ConcurrentHashMap<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();

    public Load(List<ClusterGateway> gateways, long maxRequests, Duration maxTime) {
        long deadline = System.nanoTime() + maxTime.toNanos();
        for (ClusterGateway gw : gateways) {
            for (int t = 0; t < 2; t++) {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI uri = URI.create("http://127.0.0.1:" + gw.gateway().proxyPort() + "/");
                Thread th = new Thread(() -> {
                    while (!stop.get() && System.nanoTime() < deadline && sent.incrementAndGet() <= maxRequests) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                byColor.computeIfAbsent(r.body().trim(), k -> new AtomicLong()).incrementAndGet();
                            } else {
                                fail("status " + r.statusCode() + " " + r.body().trim());
                            }
                        } catch (Exception e) {
                            fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                    }
                }, "load-" + gw.gateway().proxyPort() + "-" + t);
                th.setDaemon(true);
                threads.add(th);
            }
        }
        threads.forEach(Thread::start);
    }

    private void fail(String what) {
        if (failures.size() < 20) {
            failures.add(what);
        }
        byColor.computeIfAbsent("failed", k -> new AtomicLong()).incrementAndGet();
    }

    public long answered(String color) {
        AtomicLong n = byColor.get(color);
        return n == null ? 0 : n.get();
    }

    public long failed() {
        return answered("failed");
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Stops and waits for the load threads; returns a summary. */
    public String stop() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(15_000);
        }
        return "answers " + byColor + " first failures " + failures();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
