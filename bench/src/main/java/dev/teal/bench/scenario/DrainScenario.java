package dev.teal.bench.scenario;

import dev.teal.bench.backend.ColorBackendProcess;
import dev.teal.bench.load.WebSocketClient;
import dev.teal.bench.target.TealTarget;
import dev.teal.bench.target.Target;
import dev.teal.bench.target.Targets;
import dev.teal.bench.target.Upstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Long requests and WebSockets on blue, then a switch to green: long requests must finish on blue, new requests go to
 * green at once (also on a keep-alive connection opened before), WebSockets stay on blue until they end (half are
 * closed by the client) or the drain timeout closes them (counted).
 */
public final class DrainScenario {
    private static final Logger log = LoggerFactory.getLogger(DrainScenario.class);
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /** Sizes and times. The slow requests must take less than the drain timeout. */
    public record Options(int longRequests, Duration slow, int webSockets, int newRequests, Duration drainTimeout) {
        public Options {
            if (slow.compareTo(drainTimeout) >= 0) {
                throw new IllegalArgumentException("slow requests must end before the drain timeout");
            }
        }

        public static Options of(boolean quick) {
            return quick
                    ? new Options(4, Duration.ofMillis(1500), 4, 50, Duration.ofSeconds(3))
                    : new Options(20, Duration.ofSeconds(5), 20, 500, Duration.ofSeconds(10));
        }
    }

    private DrainScenario() {}

    public static DrainResult run(RunContext ctx, Options opt) throws Exception {
        RunInfo info = RunInfo.start("drain", ctx);
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ColorBackendProcess backends = ColorBackendProcess.start(List.of("blue", "green"), ctx.cpus().server(),
                ctx.workDir().resolve("color-backend"));
             Target target = Targets.start("teal", ctx.workDir().resolve("drain"),
                     Upstreams.blueGreen(backends.address("blue"), backends.address("green")),
                     ctx.settings().withTeal(ctx.settings().teal().withDrainTimeout(opt.drainTimeout())),
                     ctx.cpus().server());
             WebSocketClient ws = new WebSocketClient()) {
            TealTarget teal = (TealTarget) target;
            int readTimeout = (int) (opt.drainTimeout().toMillis() + 10_000);
            // before the switch: WebSockets on blue, one keep-alive connection used once, the long requests
            List<WebSocketClient.Socket> sockets = new ArrayList<>();
            for (int i = 0; i < opt.webSockets(); i++) {
                WebSocketClient.Socket s = ws.open(teal.address(), "/ws");
                String echo = s.echo("before", 5000);
                if (echo == null || !echo.startsWith("blue:")) {
                    throw new IllegalStateException("WebSocket before the switch answered " + echo);
                }
                sockets.add(s);
            }
            KeepAliveConnection preSwitch = new KeepAliveConnection(teal.address(), readTimeout);
            if (!"blue".equals(preSwitch.get("/").color())) {
                throw new IllegalStateException("before the switch blue must serve");
            }
            List<Future<KeepAliveConnection.Answer>> slow = new ArrayList<>();
            List<Future<Long>> slowEnded = new ArrayList<>();
            CompletableFuture<Void> allSent = new CompletableFuture<>();
            int[] started = {0};
            for (int i = 0; i < opt.longRequests(); i++) {
                CompletableFuture<Long> ended = new CompletableFuture<>();
                slowEnded.add(ended);
                slow.add(pool.submit(() -> {
                    try (KeepAliveConnection c = new KeepAliveConnection(teal.address(), readTimeout)) {
                        synchronized (started) {
                            if (++started[0] == opt.longRequests()) {
                                allSent.complete(null);
                            }
                        }
                        return c.get("/slow?ms=" + opt.slow().toMillis());
                    } finally {
                        ended.complete(System.nanoTime());
                    }
                }));
            }
            allSent.get(10, TimeUnit.SECONDS);
            awaitBlueInflight(teal, opt.longRequests(), Duration.ofSeconds(5));

            long command = System.nanoTime();
            teal.switchTo("green");
            long answer = System.nanoTime();
            log.info("switched to green in {} ms with {} long requests and {} WebSockets on blue",
                    String.format("%.1f", (answer - command) / 1e6), opt.longRequests(), opt.webSockets());

            // after the switch answer: new requests, the pre-switch connection, the WebSockets
            int green = 0, blue = 0, failed = 0;
            for (int i = 0; i < opt.newRequests(); i++) {
                try (KeepAliveConnection c = new KeepAliveConnection(teal.address(), readTimeout)) {
                    KeepAliveConnection.Answer a = c.get("/");
                    if (a.status() != 200) {
                        failed++;
                    } else if ("green".equals(a.color())) {
                        green++;
                    } else {
                        blue++;
                    }
                } catch (java.io.IOException e) {
                    failed++;
                }
            }
            int preGreen = 0, preBlue = 0;
            for (int i = 0; i < 10; i++) {
                try {
                    KeepAliveConnection.Answer a = preSwitch.get("/");
                    if ("green".equals(a.color())) {
                        preGreen++;
                    } else if ("blue".equals(a.color())) {
                        preBlue++;
                    }
                } catch (java.io.IOException e) {
                    // the gateway may close a pre-switch connection; reopen and go on
                    preSwitch.close();
                    preSwitch = new KeepAliveConnection(teal.address(), readTimeout);
                }
            }
            preSwitch.close();
            int echoedByBlue = 0;
            for (WebSocketClient.Socket s : sockets) {
                String echo = s.echo("after", 2000);
                if (echo != null && echo.startsWith("blue:")) {
                    echoedByBlue++;
                }
            }
            // half the WebSockets end by themselves before the drain timeout
            long halfway = answer + opt.drainTimeout().toNanos() / 2;
            while (System.nanoTime() < halfway) {
                TimeUnit.NANOSECONDS.sleep(Math.min(halfway - System.nanoTime(), 50_000_000));
            }
            for (int i = 0; i < sockets.size() / 2; i++) {
                sockets.get(i).close();
            }
            // the long requests
            int ok = 0, onBlue = 0, onGreen = 0, slowFailed = 0;
            double lastEnded = 0;
            for (int i = 0; i < slow.size(); i++) {
                try {
                    KeepAliveConnection.Answer a = slow.get(i).get(readTimeout, TimeUnit.MILLISECONDS);
                    if (a.status() == 200) {
                        ok++;
                    } else {
                        slowFailed++;
                    }
                    if ("blue".equals(a.color())) {
                        onBlue++;
                    } else if ("green".equals(a.color())) {
                        onGreen++;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    slowFailed++;
                }
                lastEnded = Math.max(lastEnded, (slowEnded.get(i).get() - answer) / 1e6);
            }
            // the other WebSockets: closed by the gateway at the drain timeout
            long deadline = answer + opt.drainTimeout().toNanos() + TimeUnit.SECONDS.toNanos(10);
            List<Double> closedAt = new ArrayList<>();
            int byClient = 0, byGateway = 0, open = 0;
            for (WebSocketClient.Socket s : sockets) {
                try {
                    long at = s.closedAt().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (s.closedByUs()) {
                        byClient++;
                    } else {
                        byGateway++;
                        closedAt.add((at - answer) / 1e6);
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    open++;
                }
            }
            JsonNode status = awaitDrainEnded(teal, Duration.ofSeconds(5));
            return new DrainResult(info.finished(), opt.drainTimeout().toMillis(), opt.slow().toMillis(),
                    (answer - command) / 1e6,
                    new DrainResult.LongRequests(opt.longRequests(), ok, onBlue, onGreen, slowFailed, lastEnded),
                    new DrainResult.NewRequests(opt.newRequests(), green, blue, failed, preGreen, preBlue),
                    new DrainResult.WebSockets(sockets.size(), echoedByBlue, byClient, byGateway, open, closedAt),
                    status);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until the gateway reports {@code n} requests in flight on blue (best effort: gives up after timeout). */
    private static void awaitBlueInflight(TealTarget teal, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode s = statusJson(teal);
            JsonNode inflight = s == null ? null : s.at("/services/" + TealTarget.SERVICE + "/colors/blue/inflight");
            if (inflight != null && inflight.isNumber() && inflight.asInt() >= n) {
                return;
            }
            Thread.sleep(20);
        }
        log.warn("gateway /status never showed {} in flight on blue; switching anyway", n);
    }

    /** The gateway's {@code /status} once no drain is in progress (or after the timeout). */
    private static JsonNode awaitDrainEnded(TealTarget teal, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode s = statusJson(teal);
        while (System.nanoTime() < deadline) {
            s = statusJson(teal);
            JsonNode drain = s == null ? null : s.at("/services/" + TealTarget.SERVICE + "/drain");
            if (drain != null && (drain.isNull() || drain.isMissingNode())) {
                return s;
            }
            Thread.sleep(50);
        }
        return s;
    }

    private static JsonNode statusJson(TealTarget teal) {
        try {
            return JSON.readTree(teal.status());
        } catch (Exception e) {
            return null;
        }
    }
}
