package dev.teal.gateway.demo;

import dev.teal.gateway.Gateway;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live demo: blue and green backends, the gateway, {@value #CLIENTS} keep-alive clients sending requests as fast
 * as they can, and switches blue→green→blue. Prints one line a second with the answers by color and the errors;
 * succeeds only if no request failed.
 */
public final class Demo {
    static final int CLIENTS = 8;

    private Demo() {
    }

    /** Runs for {@code seconds}; answers the process exit code (0 only when no request failed). */
    public static int run(int seconds, PrintStream out) throws Exception {
        try (DemoBackend blue = DemoBackend.start("blue", 0); DemoBackend green = DemoBackend.start("green", 0)) {
            GatewayConfig config = ConfigParser.parse("""
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    services:
                      demo:
                        active: blue
                        drainTimeout: 10s
                        healthCheck: {path: /healthz, interval: 1s, timeout: 500ms}
                        colors:
                          blue:  [%s]
                          green: [%s]
                    """.formatted(blue.address(), green.address()));
            Gateway gateway = Gateway.start(config);
            try {
                return drive(gateway, seconds, out);
            } finally {
                gateway.close();
            }
        }
    }

    private static int drive(Gateway gateway, int seconds, PrintStream out) throws Exception {
        URI target = URI.create("http://127.0.0.1:" + gateway.proxyPort() + "/");
        String admin = "http://127.0.0.1:" + gateway.adminPort();
        out.printf("teal demo: gateway on 127.0.0.1:%d, admin on %s; %d clients for %d s%n",
                gateway.proxyPort(), admin, CLIENTS, seconds);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        ConcurrentHashMap<String, AtomicLong> perColor = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong total = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (int i = 0; i < CLIENTS; i++) {
            pool.execute(() -> {
                HttpRequest req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).build();
                while (running.get() && System.nanoTime() < end) {
                    try {
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                        total.incrementAndGet();
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else {
                            perColor.computeIfAbsent(r.body().trim(), k -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        total.incrementAndGet();
                        errors.incrementAndGet();
                    } 
                }
            });
        }
        List<String> plan = new ArrayList<>(List.of("green", "blue"));
        int[] switchAt = {Math.max(1, seconds / 3), Math.max(2, 2 * seconds / 3)};
        long lastBlue = 0;
        long lastGreen = 0;
        long lastErrors = 0;
        for (int s = 1; s <= seconds; s++) {
            Thread.sleep(1000);
            long b = perColor.getOrDefault("blue", new AtomicLong()).get();
            long g = perColor.getOrDefault("green", new AtomicLong()).get();
            long e = errors.get();
            out.printf("t=%2ds  blue=%6d  green=%6d  errors=%d%n", s, b - lastBlue, g - lastGreen, e - lastErrors);
            lastBlue = b;
            lastGreen = g;
            lastErrors = e;
            for (int k = 0; k < switchAt.length; k++) {
                if (s == switchAt[k] && !plan.isEmpty()) {
                    String to = plan.remove(0);
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                                    URI.create(admin + "/services/demo/switch?to=" + to))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                    out.printf("switch -> %s: HTTP %d %s%n", to, r.statusCode(), r.body().trim());
                }
            }
        }
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        out.printf("done: %d requests, blue=%d, green=%d, failed=%d%n", total.get(),
                perColor.getOrDefault("blue", new AtomicLong()).get(),
                perColor.getOrDefault("green", new AtomicLong()).get(), errors.get());
        out.println(errors.get() == 0 ? "RESULT: ok, no request failed" : "RESULT: FAILED, some requests failed");
        return errors.get() == 0 ? 0 : 1;
    }
}
