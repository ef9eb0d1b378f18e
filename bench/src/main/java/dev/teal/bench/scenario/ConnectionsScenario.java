package dev.teal.bench.scenario;

import dev.teal.bench.backend.ColorBackendProcess;
import dev.teal.bench.load.IdleConnections;
import dev.teal.bench.load.OpenLoopClient;
import dev.teal.bench.load.RequestLog;
import dev.teal.bench.load.Schedule;
import dev.teal.bench.target.TealTarget;
import dev.teal.bench.target.Target;
import dev.teal.bench.target.Targets;
import dev.teal.bench.target.Upstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle keep-alive client connections through the gateway, opened in steps (memory read after each), then held while
 * a trickle of live requests measures latency.
 */
public final class ConnectionsScenario {
    private static final Logger log = LoggerFactory.getLogger(ConnectionsScenario.class);
    static final double GOAL_RSS_MIB = 300;

    /** How many connections, in how many steps, and the trickle. */
    public record Options(int connections, int steps, int trickleRate, Duration trickle, Duration warmup) {
        public static Options of(boolean quick) {
            return quick
                    ? new Options(1000, 2, 100, Duration.ofSeconds(2), Duration.ofSeconds(1))
                    : new Options(10_000, 10, 200, Duration.ofSeconds(20), Duration.ofSeconds(10));
        }
    }

    private ConnectionsScenario() {}

    public static ConnectionsResult run(RunContext ctx, Options opt) throws Exception {
        RunInfo info = RunInfo.start("connections", ctx);
        try (ColorBackendProcess backend = ColorBackendProcess.start(List.of("blue"), ctx.cpus().server(),
                ctx.workDir().resolve("color-backend"));
             Target target = Targets.start("teal", ctx.workDir().resolve("connections"),
                     Upstreams.single(backend.address("blue")),
                     ctx.settings().withTeal(ctx.settings().teal().withDrainTimeout(Duration.ofSeconds(5))),
                     ctx.cpus().server())) {
            TealTarget teal = (TealTarget) target;
            try (OpenLoopClient warm = new OpenLoopClient(teal.address(), "/", 16)) {
                warm.run(Schedule.of(System.nanoTime(), 2000, opt.warmup().toMillis() / 1000.0));
            }
            double baseRss = ProcessMemory.rssMiB(teal.pid());
            double baseHeap = mib(teal.heapUsedBytes());
            List<ConnectionsResult.Step> steps = new ArrayList<>();
            steps.add(new ConnectionsResult.Step(0, baseRss, baseHeap));
            try (IdleConnections idle = new IdleConnections(teal.address())) {
                int perStep = opt.connections() / opt.steps();
                for (int s = 1; s <= opt.steps(); s++) {
                    int n = s == opt.steps() ? opt.connections() - perStep * (opt.steps() - 1) : perStep;
                    idle.open(n, Duration.ofSeconds(60));
                    steps.add(new ConnectionsResult.Step(idle.opened(), ProcessMemory.rssMiB(teal.pid()),
                            mib(teal.heapUsedBytes())));
                    log.info("{} idle connections: RSS {} MiB", idle.opened(), Math.round(steps.get(steps.size() - 1).rssMiB()));
                }
                ConnectionsResult.Trickle trickle;
                try (OpenLoopClient live = new OpenLoopClient(teal.address(), "/", 4)) {
                    RequestLog r = live.run(Schedule.of(System.nanoTime(), opt.trickleRate(),
                            opt.trickle().toMillis() / 1000.0));
                    trickle = trickle(r, opt);
                }
                double rss = ProcessMemory.rssMiB(teal.pid());
                double heap = mib(teal.heapUsedBytes());
                int stillOpen = idle.stillOpen();
                return new ConnectionsResult(info.finished(), opt.connections(), idle.opened(), idle.answered(),
                        idle.failed(), stillOpen, baseRss, rss, baseHeap, heap,
                        idle.opened() == 0 ? 0 : (rss - baseRss) * 1024 / idle.opened(), GOAL_RSS_MIB,
                        rss <= GOAL_RSS_MIB, steps, trickle);
            }
        }
    }

    private static ConnectionsResult.Trickle trickle(RequestLog r, Options opt) {
        Histogram h = new Histogram(3);
        long errors = 0;
        for (int i = 0; i < r.count(); i++) {
            if (r.ok(i)) {
                h.recordValue(Math.max(0, r.latencyNanos(i)) / 1000);
            } else {
                errors++;
            }
        }
        return new ConnectionsResult.Trickle(opt.trickleRate(), opt.trickle().toMillis() / 1000.0, r.count(), errors,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue());
    }

    private static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / 1024.0 / 1024.0;
    }

}
