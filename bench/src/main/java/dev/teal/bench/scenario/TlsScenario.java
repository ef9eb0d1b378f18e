package dev.teal.bench.scenario;

import dev.teal.bench.backend.Body;
import dev.teal.bench.backend.StaticBackend;
import dev.teal.bench.load.H2load;
import dev.teal.bench.load.H2loadResult;
import dev.teal.bench.load.Wrk;
import dev.teal.bench.load.WrkResult;
import dev.teal.bench.process.ProcessCpu;
import dev.teal.bench.target.Target;
import dev.teal.bench.target.Targets;
import dev.teal.bench.target.TlsFiles;
import dev.teal.bench.target.Upstreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * TLS termination and HTTP/2 from clients: Teal, nginx and HAProxy each terminate TLS (one self-signed EC P-256
 * certificate made with {@code openssl req}) in front of the same static nginx backend, on the core layout of
 * {@code compare}. Three cells, rounds with the order rotated as in {@code compare}:
 * <ul>
 *   <li>{@code h2}: h2load, {@code clients} connections × {@code streams} concurrent streams, a fixed request count;
 *       requests/s, p50/p99 from h2load's per-request log;</li>
 *   <li>{@code handshake}: batches of h2load {@code --h1 -c N -n N} (each connection one full handshake, a fresh
 *       process has no session to resume, and one request) for a bounded time; handshakes/s;</li>
 *   <li>{@code h1-keepalive}: wrk over https with keep-alive; requests/s and p99.</li>
 * </ul>
 * Each run also records the CPU time the target's processes used, so the cost per request stays comparable when the
 * load generator's core, not the target, is the limit.
 */
public final class TlsScenario {
    private static final Logger log = LoggerFactory.getLogger(TlsScenario.class);
    private static final int MAX_HANDSHAKE_BATCHES = 2000;

    /** What to measure. */
    public record Options(int rounds, int h2Clients, int h2Streams, long h2Requests, int handshakeBatch,
            Duration handshakeDuration, int keepAliveConnections, Duration keepAliveDuration, long warmupRequests) {
        public static Options of(boolean quick) {
            return quick
                    ? new Options(2, 16, 10, 2_000, 50, Duration.ofSeconds(1), 16, Duration.ofSeconds(1), 2_000)
                    : new Options(3, 64, 10, 100_000, 100, Duration.ofSeconds(8), 64, Duration.ofSeconds(8),
                            150_000);
        }
    }

    private TlsScenario() {}

    public static TlsResult run(RunContext ctx, Options opt) throws Exception {
        RunInfo info = RunInfo.start("tls", ctx);
        List<String> names = ctx.targets().stream().filter(Targets.TLS::contains).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("the tls scenario runs " + Targets.TLS + "; none of them was asked for");
        }
        Targets.checkInstalled(List.of("nginx"));
        Targets.checkInstalled(names);
        H2load h2load = new H2load(ctx.workDir(), ctx.cpus().load());
        Wrk wrk = new Wrk(ctx.workDir(), ctx.cpus().load());
        TlsFiles tls = TlsFiles.generate(ctx.workDir().resolve("tls"));
        Targets.Settings settings = new Targets.Settings(ctx.settings().gatewayJar(), ctx.settings().teal(),
                Math.max(ctx.settings().nginxKeepalive(), Math.max(opt.h2Clients(), opt.keepAliveConnections())));
        List<TlsResult.Run> runs = new ArrayList<>();
        String provider = null;
        Map<String, Target> targets = new LinkedHashMap<>();
        try (StaticBackend backend = StaticBackend.start(ctx.workDir().resolve("static-backend"), ctx.cpus().server())) {
            try {
                for (String name : names) {
                    targets.put(name, Targets.startTls(name, ctx.workDir(), Upstreams.single(backend.address()),
                            settings, ctx.cpus().server(), tls));
                }
                if (targets.get("teal") instanceof Targets.TlsListener teal) {
                    provider = tlsProvider(teal.teal().status());
                    log.info("teal tls provider {}", provider);
                }
                Duration limit = Duration.ofMinutes(2);
                for (Target t : targets.values()) {
                    log.info("warm-up {}: {} h2 requests, a handshake batch", t.name(), opt.warmupRequests());
                    h2load.h2(url(t), opt.h2Clients(), opt.h2Streams(), opt.warmupRequests(), limit);
                    h2load.handshakes(url(t), opt.handshakeBatch(), limit);
                }
                List<String> order = new ArrayList<>(targets.keySet());
                for (String cell : List.of(TlsResult.H2, TlsResult.HANDSHAKE, TlsResult.H1_KEEPALIVE)) {
                    for (int round = 0; round < opt.rounds(); round++) {
                        for (int i = 0; i < order.size(); i++) {
                            Target t = targets.get(order.get((i + round) % order.size()));
                            TlsResult.Run r = measure(cell, round, t, opt, h2load, wrk, limit);
                            log.info("{} round {} {}: {} /s p99 {} us errors {} cpu {} us/req {}/{}", cell, round,
                                    t.name(), Math.round(r.rate()), r.p99Us(), r.errors(),
                                    Math.round(r.serverCpuSeconds() * 1e6 / Math.max(1, r.requests())),
                                    r.tlsProtocol(), r.applicationProtocol());
                            runs.add(r);
                        }
                    }
                }
            } finally {
                targets.values().forEach(Target::close);
            }
        }
        return new TlsResult(info.finished(), opt.rounds(), opt.h2Clients(), opt.h2Streams(), opt.h2Requests(),
                opt.handshakeBatch(), (int) opt.handshakeDuration().toSeconds(), opt.keepAliveConnections(),
                (int) opt.keepAliveDuration().toSeconds(), provider, runs, rows(runs, names));
    }

    private static TlsResult.Run measure(String cell, int round, Target t, Options opt, H2load h2load, Wrk wrk,
                                         Duration limit) throws Exception {
        double cpu0 = ProcessCpu.seconds(t.pid());
        return switch (cell) {
            case TlsResult.H2 -> {
                H2loadResult r = h2load.h2(url(t), opt.h2Clients(), opt.h2Streams(), opt.h2Requests(), limit);
                yield new TlsResult.Run(cell, round, t.name(), r.requestsPerSecond(), r.p50Us(), r.p99Us(),
                        r.requests(), r.errors(), ProcessCpu.seconds(t.pid()) - cpu0, r.tlsProtocol(),
                        r.applicationProtocol());
            }
            case TlsResult.HANDSHAKE -> {
                long succeeded = 0;
                long requests = 0;
                long errors = 0;
                double seconds = 0;
                String protocol = null;
                String alpn = null;
                long end = System.nanoTime() + opt.handshakeDuration().toNanos();
                for (int batch = 0; batch < MAX_HANDSHAKE_BATCHES && System.nanoTime() < end; batch++) {
                    H2loadResult r = h2load.handshakes(url(t), opt.handshakeBatch(), limit);
                    succeeded += r.succeeded();
                    requests += r.requests();
                    errors += r.errors();
                    seconds += r.seconds();
                    protocol = r.tlsProtocol();
                    alpn = r.applicationProtocol();
                }
                yield new TlsResult.Run(cell, round, t.name(), seconds > 0 ? succeeded / seconds : 0, -1, -1,
                        requests, errors, ProcessCpu.seconds(t.pid()) - cpu0, protocol, alpn);
            }
            default -> {
                WrkResult r = wrk.run(url(t), opt.keepAliveConnections(), opt.keepAliveDuration(), List.of());
                yield new TlsResult.Run(cell, round, t.name(), r.requestsPerSecond(), r.p50Us(), r.p99Us(),
                        r.requests(), r.errors(), ProcessCpu.seconds(t.pid()) - cpu0, null, "http/1.1");
            }
        };
    }

    private static String url(Target t) {
        return "https://" + t.address().getHostString() + ":" + t.address().getPort() + Body.TINY.path();
    }

    /** {@code tls.provider} of a {@code /status} body, or null. */
    static String tlsProvider(String status) {
        JsonNode provider = dev.teal.bench.report.Results.json().readTree(status).path("tls").path("provider");
        return provider.isMissingNode() || provider.isNull() ? null : provider.asString();
    }

    /** Medians per cell and target, and each target's ratio to the better of nginx and HAProxy. */
    static List<TlsResult.Row> rows(List<TlsResult.Run> runs, List<String> targetOrder) {
        Map<String, List<TlsResult.Run>> cells = new LinkedHashMap<>();
        for (TlsResult.Run r : runs) {
            cells.computeIfAbsent(r.cell() + "|" + r.target(), k -> new ArrayList<>()).add(r);
        }
        Map<String, Double> median = new LinkedHashMap<>();
        cells.forEach((k, v) -> median.put(k, Stats.median(v.stream().mapToDouble(TlsResult.Run::rate).toArray())));
        List<String> cellOrder = List.of(TlsResult.H2, TlsResult.HANDSHAKE, TlsResult.H1_KEEPALIVE);
        List<String> keys = new ArrayList<>(cells.keySet());
        keys.sort(Comparator.comparingInt((String k) -> cellOrder.indexOf(k.split("\\|")[0]))
                .thenComparingInt(k -> targetOrder.indexOf(k.split("\\|")[1])));
        List<TlsResult.Row> rows = new ArrayList<>();
        for (String key : keys) {
            List<TlsResult.Run> v = cells.get(key);
            TlsResult.Run first = v.get(0);
            double[] rates = v.stream().mapToDouble(TlsResult.Run::rate).toArray();
            Double nginx = median.get(first.cell() + "|nginx");
            Double haproxy = median.get(first.cell() + "|haproxy");
            Double ratio = null;
            if (!first.target().equals("nginx") && !first.target().equals("haproxy") && nginx != null
                    && haproxy != null && Math.max(nginx, haproxy) > 0) {
                ratio = median.get(key) / Math.max(nginx, haproxy);
            }
            long requests = v.stream().mapToLong(TlsResult.Run::requests).sum();
            double cpu = Stats.median(v.stream()
                    .mapToDouble(r -> r.requests() > 0 ? r.serverCpuSeconds() * 1e6 / r.requests() : 0).toArray());
            rows.add(new TlsResult.Row(first.cell(), first.target(), median.get(key), Stats.min(rates),
                    Stats.max(rates), (long) Stats.median(v.stream().mapToDouble(r -> r.p99Us()).toArray()),
                    v.stream().mapToLong(TlsResult.Run::errors).sum(), requests, cpu, ratio, first.tlsProtocol(),
                    first.applicationProtocol()));
        }
        return rows;
    }
}
