package dev.teal.bench.scenario;

import dev.teal.bench.backend.ColorBackend;
import dev.teal.bench.backend.ColorBackendProcess;
import dev.teal.bench.load.OpenLoopClient;
import dev.teal.bench.load.RequestLog;
import dev.teal.bench.load.Schedule;
import dev.teal.bench.target.TealTarget;
import dev.teal.bench.target.Upstreams;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The guarded cutover under open-loop load, Teal only (nginx and HAProxy have nothing like it). Colors {@code blue}
 * and {@code green} are healthy; {@code red} answers {@code errorPercent}% of its requests with 500. The service
 * carries a guard. First {@code badTrials} cutovers blue → red: each must be rolled back by the gateway; the time
 * from switch to rollback (the gateway's own timestamps) and the failed requests are recorded. Then
 * {@code goodCutovers} cutovers between blue and green, each waited out to the end of its bake: none may be rolled
 * back (false positives). Every wait is bounded; the load is loopback only and ends with its schedule.
 */
public final class GuardScenario {
    private static final Logger log = LoggerFactory.getLogger(GuardScenario.class);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Load, guard and the number of cutovers of each kind. */
    public record Options(int rate, int connections, int errorPercent, String guard, int badTrials,
                          int goodCutovers, Duration trialLimit, Duration warmup) {
        /** The guard's {@code bake=Ns} (the scenario's guards give it in seconds). */
        public double bakeSeconds() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("bake=(\\d+)s").matcher(guard);
            if (!m.find()) {
                throw new IllegalArgumentException("the guard needs bake=Ns: " + guard);
            }
            return Integer.parseInt(m.group(1));
        }

        public static Options of(boolean quick) {
            return quick
                    ? new Options(300, 8, 5, "errors<1%, p99<1s, window=5s, bake=3s, min-requests=100", 2, 2,
                    Duration.ofSeconds(20), Duration.ofSeconds(2))
                    : new Options(1000, 32, 5, "errors<1%, p99<1s, window=10s, bake=5s, min-requests=200", 5, 20,
                    Duration.ofSeconds(30), Duration.ofSeconds(15));
        }
    }

    private GuardScenario() {}

    public static GuardResult run(RunContext ctx, Options opt) throws Exception {
        RunInfo info = RunInfo.start("guard", ctx);
        ColorBackend.Fault fault = new ColorBackend.Fault(opt.errorPercent(), 0);
        try (ColorBackendProcess backends = ColorBackendProcess.start(List.of("blue", "green", "red"),
                Map.of("red", fault), ctx.cpus().server(), ctx.workDir().resolve("color-backend"));
             TealTarget teal = TealTarget.start(ctx.workDir().resolve("guard").resolve("teal"),
                     new Upstreams(Map.of("blue", List.of(backends.address("blue")),
                             "green", List.of(backends.address("green")),
                             "red", List.of(backends.address("red"))), "blue"),
                     ctx.settings().gatewayJar(), ctx.cpus().server(), ctx.settings().teal().withGuard(opt.guard()));
             OpenLoopClient client = new OpenLoopClient(teal.address(), "/", opt.connections())) {
            double bakeSeconds = opt.bakeSeconds();
            // long enough for every trial at its limit; the trials end early when the load does
            double seconds = 1 + opt.warmup().toSeconds() + opt.badTrials() * (opt.trialLimit().toSeconds() + 2.0)
                    + opt.goodCutovers() * (bakeSeconds + 3.0);
            Schedule schedule = Schedule.of(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200), opt.rate(), seconds);
            CompletableFuture<RequestLog> load = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.run(schedule);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            // warm-up, not recorded: the JIT of the gateway and the backends, and the switch path (two round trips to
            // green, each waited out like the healthy cutovers below)
            long warmEnd = schedule.startNanos() + opt.warmup().toNanos();
            for (String c : List.of("green", "blue", "green", "blue")) {
                teal.switchTo(c);
                awaitVerdict(teal, c, Duration.ofMillis((long) (bakeSeconds * 1000) + 10_000), warmEnd);
                if (System.nanoTime() >= warmEnd) {
                    teal.switchTo("blue");
                    break;
                }
            }
            sleepUntil(warmEnd);
            List<long[]> badWindows = new ArrayList<>();
            List<String[]> badVerdicts = new ArrayList<>();
            for (int k = 0; k < opt.badTrials() && System.nanoTime() < schedule.endNanos(); k++) {
                long command = System.nanoTime();
                teal.switchTo("red");
                JsonNode g = awaitVerdict(teal, "red", opt.trialLimit(), schedule.endNanos());
                long seen = System.nanoTime();
                badWindows.add(new long[] {command, seen});
                badVerdicts.add(g == null ? null : new String[] {text(g, "state"), text(g, "switchedAt"),
                        text(g, "decidedAt"), text(g, "breach")});
                log.info("guard bad trial {}: {}", k + 1, g);
                if (g == null || !"rolled_back".equals(text(g, "state"))) {
                    teal.switchTo("blue"); // not rolled back in time: the next trial starts from blue anyway
                }
                sleepUntil(System.nanoTime() + 2 * SECOND);
            }
            int passed = 0;
            int rolledBack = 0;
            int notJudged = 0;
            int good = 0;
            List<long[]> goodWindows = new ArrayList<>();
            String from = "blue";
            for (int k = 0; k < opt.goodCutovers() && System.nanoTime() < schedule.endNanos(); k++) {
                String to = from.equals("blue") ? "green" : "blue";
                long command = System.nanoTime();
                teal.switchTo(to);
                JsonNode g = awaitVerdict(teal, to, Duration.ofMillis((long) (bakeSeconds * 1000) + 10_000),
                        schedule.endNanos());
                goodWindows.add(new long[] {command, System.nanoTime()});
                good++;
                String state = g == null ? "timeout" : text(g, "state");
                switch (state) {
                    case "passed" -> passed++;
                    case "rolled_back" -> rolledBack++;
                    default -> notJudged++;
                }
                log.info("guard good cutover {} to {}: {}", k + 1, to, state);
                from = state.equals("rolled_back") ? from : to;
            }
            RequestLog requests = load.get(Math.round(seconds) + 60, TimeUnit.SECONDS);
            return result(info.finished(), opt, fault, requests, badWindows, badVerdicts, goodWindows, good, passed,
                    rolledBack, notJudged);
        }
    }

    private static GuardResult result(RunInfo info, Options opt, ColorBackend.Fault fault, RequestLog requests,
                                      List<long[]> badWindows, List<String[]> badVerdicts, List<long[]> goodWindows,
                                      int good, int passed, int rolledBack, int notJudged) {
        List<GuardResult.BadTrial> bad = new ArrayList<>();
        for (int k = 0; k < badWindows.size(); k++) {
            long from = badWindows.get(k)[0];
            long to = badWindows.get(k)[1] + SECOND;
            long failed = 0;
            long onBad = 0;
            for (int i = 0; i < requests.count(); i++) {
                long sent = requests.sentNanos(i);
                if (sent < from || sent >= to) {
                    continue;
                }
                if (!requests.ok(i)) {
                    failed++;
                }
                if ("red".equals(requests.color(i))) {
                    onBad++;
                }
            }
            String[] v = badVerdicts.get(k);
            boolean rolled = v != null && "rolled_back".equals(v[0]);
            double ms = rolled ? Duration.between(Instant.parse(v[1]), Instant.parse(v[2])).toNanos() / 1e6 : 0;
            bad.add(new GuardResult.BadTrial(k + 1, rolled, ms, failed, onBad, v == null ? null : v[3]));
        }
        long goodFailed = 0;
        for (int i = 0; i < requests.count(); i++) {
            long sent = requests.sentNanos(i);
            for (long[] w : goodWindows) {
                if (sent >= w[0] && sent < w[1] && !requests.ok(i)) {
                    goodFailed++;
                    break;
                }
            }
        }
        double[] ms = bad.stream().filter(GuardResult.BadTrial::rolledBack).mapToDouble(GuardResult.BadTrial::rollbackMs)
                .toArray();
        double[] failedCounts = bad.stream().mapToDouble(GuardResult.BadTrial::failed).toArray();
        return new GuardResult(info, opt.rate(), opt.connections(), opt.guard(), fault.errorPercent() + "% errors",
                bad, ms.length == 0 ? 0 : Stats.median(ms), ms.length == 0 ? 0 : Stats.max(ms),
                failedCounts.length == 0 ? 0 : Stats.median(failedCounts),
                bad.stream().mapToLong(GuardResult.BadTrial::failed).max().orElse(0), good, passed, rolledBack,
                notJudged, goodFailed, requests.count());
    }

    /** Waits until the guard of the cutover to {@code to} has decided; the guard node, or null at the limit. */
    private static JsonNode awaitVerdict(TealTarget teal, String to, Duration limit, long loadEnd) throws Exception {
        long deadline = Math.min(System.nanoTime() + limit.toNanos(), loadEnd);
        while (System.nanoTime() < deadline) {
            JsonNode g = JSON.readTree(teal.status()).path("services").path(TealTarget.SERVICE).path("guard");
            if (to.equals(text(g, "to")) && !"baking".equals(text(g, "state"))) {
                return g;
            }
            Thread.sleep(20);
        }
        return null;
    }


    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait;
        while ((wait = nanos - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

}
