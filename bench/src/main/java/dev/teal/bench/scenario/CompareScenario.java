package dev.teal.bench.scenario;

import dev.teal.bench.backend.Body;
import dev.teal.bench.backend.StaticBackend;
import dev.teal.bench.load.Wrk;
import dev.teal.bench.load.WrkResult;
import dev.teal.bench.profile.Profiler;
import dev.teal.bench.profile.TargetProfile;
import dev.teal.bench.target.Target;
import dev.teal.bench.target.TealTarget;
import dev.teal.bench.target.Targets;
import dev.teal.bench.target.Upstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput and latency on loopback with wrk. All targets run at once (idle while not measured) in front of one
 * static nginx backend; for every body size and connection count, rounds of one wrk run per target, the order rotated
 * each round (A B C D, B C D A, ...) so that drift on a shared machine hits every target alike.
 *
 * <p>With {@code teal} among the targets, a routing cell follows (tiny body, the first connection count): Teal through
 * {@value #ONE_ROUTE} (one host, one route) and through {@value #MANY_ROUTES} (200 routes on 20 hosts, the request
 * to the last host), alternated the same way, so the cost of the route table shows as the difference.
 */
public final class CompareScenario {
    private static final Logger log = LoggerFactory.getLogger(CompareScenario.class);
    /** Target names of the routing cell. */
    public static final String ONE_ROUTE = "teal-1-route";
    public static final String MANY_ROUTES = "teal-200-routes";

    /**
     * What to measure. With {@code profile}, after the rounds of each cell every target with a process of its own gets
     * two more wrk runs of {@code duration}: one under JFR, one under strace (see {@link Profiler}).
     */
    public record Options(List<Body> bodies, List<Integer> connections, int rounds, Duration duration, Duration warmup,
            boolean profile) {
        public static Options of(boolean quick) {
            return quick
                    ? new Options(List.of(Body.TINY), List.of(64), 3, Duration.ofSeconds(1), Duration.ofSeconds(2),
                            false)
                    : new Options(List.of(Body.values()), List.of(64, 256), 3, Duration.ofSeconds(10),
                            Duration.ofSeconds(15), false);
        }

        /** Only these cells; null keeps the default. */
        public Options withCells(List<Body> onlyBodies, List<Integer> onlyConnections) {
            return new Options(onlyBodies != null ? onlyBodies : bodies,
                    onlyConnections != null ? onlyConnections : connections, rounds, duration, warmup, profile);
        }

        public Options withProfile(boolean on) {
            return new Options(bodies, connections, rounds, duration, warmup, on);
        }
    }

    private CompareScenario() {}

    public static CompareResult run(RunContext ctx, Options opt) throws Exception {
        RunInfo info = RunInfo.start("compare", ctx);
        Targets.checkInstalled(List.of("nginx"));
        Targets.checkInstalled(ctx.targets());
        Wrk wrk = new Wrk(ctx.workDir(), ctx.cpus().load());
        int keepalive = Math.max(ctx.settings().nginxKeepalive(),
                opt.connections().stream().mapToInt(Integer::intValue).max().orElse(64));
        Targets.Settings settings = new Targets.Settings(ctx.settings().gatewayJar(), ctx.settings().teal(), keepalive);
        List<CompareResult.Run> runs = new ArrayList<>();
        List<TargetProfile> profiles = new ArrayList<>();
        List<String> unavailable = List.of();
        Profiler profiler = null;
        if (opt.profile()) {
            profiler = new Profiler(ctx.workDir());
            unavailable = profiler.unavailable();
            unavailable.forEach(m -> log.warn("profile: {}", m));
        }
        Map<String, Target> targets = new LinkedHashMap<>();
        try (StaticBackend backend = StaticBackend.start(ctx.workDir().resolve("static-backend"), ctx.cpus().server())) {
            try {
                for (String name : ctx.targets()) {
                    targets.put(name, Targets.start(name, ctx.workDir(), Upstreams.single(backend.address()), settings,
                            ctx.cpus().server()));
                }
                int maxConnections = opt.connections().stream().mapToInt(Integer::intValue).max().orElse(64);
                for (Target t : targets.values()) {
                    log.info("warm-up {} for {}s", t.name(), opt.warmup().toSeconds());
                    wrk.run(t.address(), Body.TINY.path(), maxConnections, opt.warmup());
                }
                List<String> order = new ArrayList<>(targets.keySet());
                for (Body body : opt.bodies()) {
                    for (int connections : opt.connections()) {
                        for (int round = 0; round < opt.rounds(); round++) {
                            for (int i = 0; i < order.size(); i++) {
                                Target t = targets.get(order.get((i + round) % order.size()));
                                WrkResult r = wrk.run(t.address(), body.path(), connections, opt.duration());
                                log.info("{} c={} round {} {}: {} req/s p99 {} us errors {}", body.label(), connections,
                                        round, t.name(), Math.round(r.requestsPerSecond()), r.p99Us(), r.errors());
                                runs.add(new CompareResult.Run(body.label(), connections, round, t.name(), r));
                            }
                        }
                        if (profiler != null) {
                            for (Target t : targets.values()) {
                                TargetProfile p = profiler.profile(t, body.label(), connections,
                                        () -> wrk.run(t.address(), body.path(), connections, opt.duration()));
                                if (p != null) {
                                    log.info("{} c={} profile {}: {} B/request on the event loop, {} syscalls/request{}",
                                            body.label(), connections, t.name(), p.eventLoopBytesPerRequest(),
                                            p.syscallsPerRequest(), p.note() == null ? "" : " (" + p.note() + ")");
                                    profiles.add(p);
                                }
                            }
                        }
                    }
                }
            } finally {
                targets.values().forEach(Target::close);
            }
            if (ctx.targets().contains("teal")) {
                runs.addAll(routingCell(ctx, opt, wrk, backend));
            }
        }
        List<String> order = new ArrayList<>(ctx.targets());
        if (ctx.targets().contains("teal")) {
            order.addAll(List.of(ONE_ROUTE, MANY_ROUTES));
        }
        return new CompareResult(info.finished(), opt.rounds(), (int) opt.duration().toSeconds(),
                (int) opt.warmup().toSeconds(), keepalive, runs, rows(runs, order),
                opt.profile() ? profiles : null, opt.profile() ? unavailable : null);
    }

    /** Teal through 1 route and through 200 routes on 20 hosts; tiny body, the first connection count. */
    private static List<CompareResult.Run> routingCell(RunContext ctx, Options opt, Wrk wrk, StaticBackend backend)
            throws Exception {
        List<CompareResult.Run> runs = new ArrayList<>();
        int connections = opt.connections().get(0);
        Map<String, TealTarget> cell = new LinkedHashMap<>();
        Map<String, String> host = Map.of(ONE_ROUTE, TealTarget.routeHost(0), MANY_ROUTES, TealTarget.routeHost(19));
        try {
            cell.put(ONE_ROUTE, TealTarget.startWithRoutes(ctx.workDir().resolve(ONE_ROUTE),
                    Upstreams.single(backend.address()), ctx.settings().gatewayJar(), ctx.cpus().server(), 1, 1));
            cell.put(MANY_ROUTES, TealTarget.startWithRoutes(ctx.workDir().resolve(MANY_ROUTES),
                    Upstreams.single(backend.address()), ctx.settings().gatewayJar(), ctx.cpus().server(), 20, 10));
            for (Map.Entry<String, TealTarget> t : cell.entrySet()) {
                log.info("warm-up {} for {}s", t.getKey(), opt.warmup().toSeconds());
                wrk.run(t.getValue().address(), Body.TINY.path(), connections, opt.warmup(), host.get(t.getKey()));
            }
            List<String> order = new ArrayList<>(cell.keySet());
            for (int round = 0; round < opt.rounds(); round++) {
                for (int i = 0; i < order.size(); i++) {
                    String name = order.get((i + round) % order.size());
                    WrkResult r = wrk.run(cell.get(name).address(), Body.TINY.path(), connections, opt.duration(),
                            host.get(name));
                    log.info("{} c={} round {} {}: {} req/s p99 {} us errors {}", Body.TINY.label(), connections,
                            round, name, Math.round(r.requestsPerSecond()), r.p99Us(), r.errors());
                    runs.add(new CompareResult.Run(Body.TINY.label(), connections, round, name, r));
                }
            }
        } finally {
            cell.values().forEach(Target::close);
        }
        return runs;
    }

    /** Aggregates runs into rows: medians over rounds, ratios to direct and nginx in the same cell. */
    static List<CompareResult.Row> rows(List<CompareResult.Run> runs, List<String> targetOrder) {
        Map<String, List<CompareResult.Run>> cells = new LinkedHashMap<>();
        for (CompareResult.Run r : runs) {
            cells.computeIfAbsent(r.body() + "|" + r.connections() + "|" + r.target(), k -> new ArrayList<>()).add(r);
        }
        Map<String, Double> medianRps = new LinkedHashMap<>();
        cells.forEach((k, v) -> medianRps.put(k, Stats.median(v.stream().mapToDouble(r -> r.wrk().requestsPerSecond()).toArray())));
        List<CompareResult.Row> rows = new ArrayList<>();
        List<String> cellKeys = new ArrayList<>(cells.keySet());
        cellKeys.sort(java.util.Comparator.comparingInt((String k) -> cellOrder(k, runs))
                .thenComparingInt(k -> targetOrder.indexOf(k.split("\\|")[2])));
        for (String key : cellKeys) {
            List<CompareResult.Run> v = cells.get(key);
            CompareResult.Run first = v.get(0);
            double[] rps = v.stream().mapToDouble(r -> r.wrk().requestsPerSecond()).toArray();
            double med = medianRps.get(key);
            String prefix = first.body() + "|" + first.connections() + "|";
            Double direct = medianRps.get(prefix + "direct");
            Double nginx = medianRps.get(prefix + "nginx");
            rows.add(new CompareResult.Row(first.body(), first.connections(), first.target(), med, Stats.min(rps),
                    Stats.max(rps),
                    (long) Stats.median(v.stream().mapToDouble(r -> r.wrk().p50Us()).toArray()),
                    (long) Stats.median(v.stream().mapToDouble(r -> r.wrk().p99Us()).toArray()),
                    v.stream().mapToLong(r -> r.wrk().errors()).sum(),
                    v.stream().mapToLong(r -> r.wrk().requests()).sum(),
                    direct == null || direct == 0 ? null : med / direct,
                    nginx == null || nginx == 0 ? null : med / nginx));
        }
        return rows;
    }

    private static int cellOrder(String key, List<CompareResult.Run> runs) {
        String[] parts = key.split("\\|");
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).body().equals(parts[0]) && runs.get(i).connections() == Integer.parseInt(parts[1])) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }
}
