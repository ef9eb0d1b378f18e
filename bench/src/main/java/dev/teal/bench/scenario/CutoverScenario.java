package dev.teal.bench.scenario;

import dev.teal.bench.backend.ColorBackendProcess;
import dev.teal.bench.load.OpenLoopClient;
import dev.teal.bench.load.RequestLog;
import dev.teal.bench.load.Schedule;
import dev.teal.bench.load.Wrk;
import dev.teal.bench.load.WrkResult;
import dev.teal.bench.target.Target;
import dev.teal.bench.target.Targets;
import dev.teal.bench.target.Upstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fixed-rate open-loop load through a target while it switches blue and green every {@code interval}, each target its
 * own way (Teal: admin API; nginx: rewrite + reload; HAProxy: runtime API). Blue and green are {@code ColorBackend}s
 * that tag their answers; every answer is checked against the switches.
 */
public final class CutoverScenario {
    private static final Logger log = LoggerFactory.getLogger(CutoverScenario.class);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Load and switching. {@code rate <= 0}: half of Teal's maximum, measured with wrk first. */
    public record Options(int rate, int connections, int switches, Duration interval, Duration warmup) {
        public static Options of(boolean quick) {
            return quick
                    ? new Options(500, 8, 4, Duration.ofMillis(1500), Duration.ofSeconds(1))
                    : new Options(0, 64, 60, Duration.ofSeconds(2), Duration.ofSeconds(15));
        }
    }

    /** A switch as the switching thread saw it. */
    record SwitchEvent(long commandNanos, long answerNanos, String from, String to) {}

    private CutoverScenario() {}

    public static CutoverResult run(RunContext ctx, Options opt) throws Exception {
        RunInfo info = RunInfo.start("cutover", ctx);
        List<String> names = ctx.targets().stream().filter(t -> !Targets.NO_SWITCH.contains(t)).toList();
        Targets.checkInstalled(names);
        int rate = opt.rate();
        String rateSource = "given";
        List<CutoverResult.TargetRun> runs = new ArrayList<>();
        try (ColorBackendProcess backends = ColorBackendProcess.start(List.of("blue", "green"), ctx.cpus().server(),
                ctx.workDir().resolve("color-backend"))) {
            Upstreams upstreams = Upstreams.blueGreen(backends.address("blue"), backends.address("green"));
            List<String> order = new ArrayList<>(names);
            if (rate <= 0 && order.remove("teal")) {
                order.add(0, "teal");
            }
            for (String name : order) {
                try (Target target = Targets.start(name, ctx.workDir().resolve("cutover"), upstreams, ctx.settings(),
                        ctx.cpus().server())) {
                    if (rate <= 0) {
                        Wrk wrk = new Wrk(ctx.workDir(), ctx.cpus().load());
                        wrk.run(target.address(), "/", opt.connections(), opt.warmup()); // JIT the gateway and backend first
                        WrkResult max = wrk.run(target.address(), "/", opt.connections(), Duration.ofSeconds(5));
                        rate = (int) Math.max(100, max.requestsPerSecond() / 2);
                        rateSource = name.equals("teal")
                                ? "half of teal's maximum (" + Math.round(max.requestsPerSecond()) + " req/s, wrk 5 s after warm-up, "
                                        + opt.connections() + " connections)"
                                : "half of " + name + "'s maximum (teal not run)";
                        log.info("cutover rate {} req/s ({})", rate, rateSource);
                    }
                    runs.add(runTarget(target, rate, opt));
                }
            }
        }
        return new CutoverResult(info.finished(), rate, rateSource, opt.connections(), opt.switches(),
                opt.interval().toMillis() / 1000.0, (int) opt.warmup().toSeconds(), runs);
    }

    private static CutoverResult.TargetRun runTarget(Target target, int rate, Options opt) throws Exception {
        try (OpenLoopClient client = new OpenLoopClient(target.address(), "/", opt.connections())) {
            if (!opt.warmup().isZero()) {
                // warm up the switch path too (connects to the new color, drain, admin answer), not only the request
                // path: a JIT-compiled JVM otherwise pays its compilation in the first measured switches. An even
                // number of unrecorded switches, one a second, so the measured run starts on blue.
                Schedule warm = Schedule.of(System.nanoTime(), rate, opt.warmup().toMillis() / 1000.0);
                int warmSwitches = (int) (opt.warmup().toSeconds() - 1) & ~1;
                Thread warmSwitcher = new Thread(() -> switchLoop(target, warm, warmSwitches, Duration.ofSeconds(1),
                        new ArrayList<>()), "warm-switcher-" + target.name());
                warmSwitcher.start();
                client.run(warm);
                warmSwitcher.join(TimeUnit.SECONDS.toMillis(30));
            }
            double seconds = opt.interval().toMillis() / 1000.0 * (opt.switches() + 1);
            Schedule schedule = Schedule.of(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200), rate, seconds);
            List<SwitchEvent> events = new ArrayList<>();
            Thread switcher = new Thread(() -> switchLoop(target, schedule, opt.switches(), opt.interval(), events),
                    "switcher-" + target.name());
            switcher.start();
            RequestLog requests = client.run(schedule);
            switcher.join(TimeUnit.SECONDS.toMillis(30));
            synchronized (events) {
                if (events.size() != opt.switches()) {
                    throw new IllegalStateException(target.name() + ": " + events.size() + " of " + opt.switches()
                            + " switches happened");
                }
                CutoverResult.TargetRun run = analyze(target.name(), requests, List.copyOf(events));
                log.info("{}: {} requests, {} errors, {} retried, {} old-color after switch answer, "
                        + "mixed window max {} ms, p99 {} us (switch second {} us, steady {} us)", run.target(),
                        run.requests(), run.errors(), run.retried(), run.oldAfterSwitch(),
                        String.format("%.1f", run.mixedWindowMaxMs()), run.p99Us(), run.switchSecondP99Us(),
                        run.steadyP99Us());
                return run;
            }
        }
    }

    private static void switchLoop(Target target, Schedule schedule, int count, Duration interval,
                                   List<SwitchEvent> events) {
        String from = "blue";
        for (int k = 1; k <= count; k++) {
            long at = schedule.startNanos() + k * interval.toNanos();
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            String to = from.equals("blue") ? "green" : "blue";
            long command = System.nanoTime();
            try {
                target.switchTo(to);
            } catch (Exception e) {
                log.error("{}: switch {} to {} failed: {}", target.name(), k, to, e.toString());
                return;
            }
            long answer = System.nanoTime();
            synchronized (events) {
                events.add(new SwitchEvent(command, answer, from, to));
            }
            from = to;
        }
    }

    /** Everything the result says about one target, from the request log and the switches. */
    static CutoverResult.TargetRun analyze(String target, RequestLog requests, List<SwitchEvent> events) {
        Schedule schedule = requests.schedule();
        Histogram all = histogram();
        Histogram steady = histogram();
        Histogram switchSecond = histogram();
        Map<Integer, Histogram> perSecond = new TreeMap<>();
        Map<Integer, Map<String, Long>> colorsPerSecond = new TreeMap<>();
        Map<Integer, Long> errorsPerSecond = new TreeMap<>();
        Map<String, Long> errorKinds = new TreeMap<>();
        long ok = 0;
        long retried = 0;
        long[] oldAfter = new long[events.size()];
        long[] lastOldAnswer = new long[events.size()];
        for (int i = 0; i < requests.count(); i++) {
            long intended = schedule.intendedNanos(i);
            int second = (int) ((intended - schedule.startNanos()) / SECOND);
            if (requests.retried(i)) {
                retried++;
            }
            if (!requests.ok(i)) {
                String kind = requests.failure(i) == RequestLog.Failure.NONE
                        ? "status " + requests.status(i)
                        : requests.failure(i).name().toLowerCase();
                errorKinds.merge(kind, 1L, Long::sum);
                errorsPerSecond.merge(second, 1L, Long::sum);
                continue;
            }
            ok++;
            long latency = Math.max(0, requests.latencyNanos(i)) / 1000;
            all.recordValue(latency);
            perSecond.computeIfAbsent(second, s -> histogram()).recordValue(latency);
            String color = requests.color(i) == null ? "untagged" : requests.color(i);
            colorsPerSecond.computeIfAbsent(second, s -> new TreeMap<>()).merge(color, 1L, Long::sum);
            boolean inSwitchSecond = false;
            for (SwitchEvent e : events) {
                if (intended >= e.commandNanos() && intended < e.commandNanos() + SECOND) {
                    inSwitchSecond = true;
                    break;
                }
            }
            (inSwitchSecond ? switchSecond : steady).recordValue(latency);
            // the switch that governs this request: the last one commanded before it was sent
            long sent = requests.sentNanos(i);
            int k = -1;
            for (int j = events.size() - 1; j >= 0; j--) {
                if (events.get(j).commandNanos() < sent) {
                    k = j;
                    break;
                }
            }
            if (k >= 0 && color.equals(events.get(k).from())
                    && !servedByLaterSwitch(events, k, color, requests.answeredNanos(i))) {
                lastOldAnswer[k] = Math.max(lastOldAnswer[k], requests.answeredNanos(i));
                if (sent > events.get(k).answerNanos()) {
                    oldAfter[k]++;
                }
            }
        }
        List<CutoverResult.Switch> switchLog = new ArrayList<>();
        double[] windows = new double[events.size()];
        double[] answers = new double[events.size()];
        for (int k = 0; k < events.size(); k++) {
            SwitchEvent e = events.get(k);
            windows[k] = lastOldAnswer[k] == 0 ? 0 : (lastOldAnswer[k] - e.commandNanos()) / 1e6;
            answers[k] = (e.answerNanos() - e.commandNanos()) / 1e6;
            switchLog.add(new CutoverResult.Switch(k + 1, e.from(), e.to(),
                    (e.commandNanos() - schedule.startNanos()) / 1e9, answers[k], windows[k], oldAfter[k]));
        }
        List<CutoverResult.Second> seconds = new ArrayList<>();
        int lastSecond = (int) ((schedule.endNanos() - 1 - schedule.startNanos()) / SECOND);
        for (int s = 0; s <= lastSecond; s++) {
            Histogram h = perSecond.get(s);
            seconds.add(new CutoverResult.Second(s, colorsPerSecond.getOrDefault(s, Map.of()),
                    errorsPerSecond.getOrDefault(s, 0L), h == null ? 0 : h.getValueAtPercentile(50),
                    h == null ? 0 : h.getValueAtPercentile(99)));
        }
        long errors = requests.count() - ok;
        long steadyP99 = steady.getTotalCount() == 0 ? 0 : steady.getValueAtPercentile(99);
        long switchP99 = switchSecond.getTotalCount() == 0 ? 0 : switchSecond.getValueAtPercentile(99);
        return new CutoverResult.TargetRun(target, requests.count(), ok, errors, errorKinds, retried,
                Arrays.stream(oldAfter).sum(), Stats.max(windows.length == 0 ? new double[] {0} : windows),
                Stats.median(windows.length == 0 ? new double[] {0} : windows),
                Stats.median(answers.length == 0 ? new double[] {0} : answers),
                Stats.max(answers.length == 0 ? new double[] {0} : answers),
                all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getValueAtPercentile(99.9),
                all.getMaxValue(), steadyP99, switchP99,
                steadyP99 == 0 ? null : (double) switchP99 / steadyP99, switchLog, seconds);
    }

    /**
     * Whether {@code color} became serving again by a switch after {@code k} commanded before {@code answeredNanos}:
     * a request in transit across that next command may rightly be routed by it, so its answer is not "old".
     */
    private static boolean servedByLaterSwitch(List<SwitchEvent> events, int k, String color, long answeredNanos) {
        for (int j = k + 1; j < events.size() && events.get(j).commandNanos() < answeredNanos; j++) {
            if (events.get(j).to().equals(color)) {
                return true;
            }
        }
        return false;
    }

    private static Histogram histogram() {
        return new Histogram(3);
    }

}
