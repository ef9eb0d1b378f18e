package dev.teal.bench.report;

import dev.teal.bench.profile.TargetProfile;
import dev.teal.bench.scenario.CompareResult;
import dev.teal.bench.scenario.ConnectionsResult;
import dev.teal.bench.scenario.CutoverResult;
import dev.teal.bench.scenario.DrainResult;
import dev.teal.bench.scenario.ScaleResult;
import java.util.Locale;

/** Markdown tables of the results: printed after a run, pasted into the README. */
public final class Tables {
    private Tables() {}

    /** The compare table, then (with {@code --profile}) the per-request table. */
    public static String compare(CompareResult r) {
        return compareRows(r) + (r.profiles() != null ? profiles(r) : "");
    }

    public static String compareRows(CompareResult r) {
        StringBuilder b = new StringBuilder();
        b.append("| body | conns | target | req/s (median) | min–max | p50 | p99 | errors | vs direct | vs nginx |\n");
        b.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CompareResult.Row row : r.rows()) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %,.0f–%,.0f | %s | %s | %d | %s | %s |%n",
                    row.body(), row.connections(), row.target(), row.rps(), row.rpsMin(), row.rpsMax(),
                    micros(row.p50Us()), micros(row.p99Us()), row.errors(), ratio(row.vsDirect()),
                    ratio(row.vsNginx())));
        }
        return b.toString();
    }

    /** {@code compare --profile}: what one request cost each target, from the extra JFR and strace runs. */
    public static String profiles(CompareResult r) {
        StringBuilder b = new StringBuilder("\nper request (extra wrk runs: one under JFR, one under strace -c; JVM targets: syscalls of the event loop thread only)\n\n");
        for (String m : r.profileUnavailable()) {
            b.append("note: ").append(m).append('\n');
        }
        b.append("| body | conns | target | bytes allocated on the event loop | bytes allocated, whole JVM "
                + "| syscalls (event loop) | most frequent syscalls | note |\n");
        b.append("|---|---:|---|---:|---:|---:|---|---|\n");
        for (TargetProfile p : r.profiles()) {
            String top = p.topSyscallsPerRequest() == null ? "" : p.topSyscallsPerRequest().entrySet().stream()
                    .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                    .collect(java.util.stream.Collectors.joining(", "));
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", p.body(),
                    p.connections(), p.target(), figure(p.eventLoopBytesPerRequest(), "%,.0f"),
                    figure(p.jvmBytesPerRequest(), "%,.0f"), figure(p.syscallsPerRequest(), "%.2f"), top,
                    p.note() == null ? "" : p.note()));
        }
        return b.toString();
    }

    public static String tls(dev.teal.bench.scenario.TlsResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "h2: h2load -c %d -m %d -n %,d; handshake: batches of h2load --h1 -c %d -n %d "
                        + "for %d s; h1-keepalive: wrk -c %d for %d s; %d rounds, median; Teal's TLS provider: %s%n%n",
                r.h2Clients(), r.h2Streams(), r.h2Requests(), r.handshakeBatch(), r.handshakeBatch(),
                r.handshakeSeconds(), r.keepAliveConnections(), r.keepAliveSeconds(), r.rounds(),
                r.tealTlsProvider() == null ? "–" : r.tealTlsProvider()));
        b.append("| cell | target | req/s or handshakes/s (median) | min–max | p99 | errors | target CPU per request "
                + "| vs better peer | negotiated |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (var row : r.rows()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f–%,.0f | %s | %d | %.0f µs | %s | %s |%n",
                    row.cell(), row.target(), row.medianRate(), row.minRate(), row.maxRate(), micros(row.p99Us()),
                    row.errors(), row.cpuUsPerRequest(), ratio(row.vsBestPeer()),
                    (row.tlsProtocol() == null ? "" : row.tlsProtocol() + " ") + row.applicationProtocol()));
        }
        return b.toString();
    }

    private static String figure(Double v, String format) {
        return v == null ? "–" : String.format(Locale.ROOT, format, v);
    }

    public static String cutover(CutoverResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d req/s (%s), %d connections, %d switches every %.1f s%n%n", r.rate(),
                r.rateSource(), r.connections(), r.switches(), r.intervalSeconds()));
        b.append("| target | requests | failed | retried | old color after switch answer | mixed window max (median) "
                + "| switch command (median) | p99 steady | p99 switch second | ratio | p99.9 | max |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CutoverResult.TargetRun t : r.targets()) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %d | %d | %d | %.1f ms (%.1f ms) | %.1f ms | %s | %s | %s | %s | %s |%n",
                    t.target(), t.requests(), t.errors(), t.retried(), t.oldAfterSwitch(), t.mixedWindowMaxMs(),
                    t.mixedWindowMedianMs(), t.switchAnswerMedianMs(), micros(t.steadyP99Us()),
                    micros(t.switchSecondP99Us()), ratio(t.switchP99Ratio()), micros(t.p999Us()), micros(t.maxUs())));
        }
        return b.toString();
    }

    public static String guard(dev.teal.bench.scenario.GuardResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d req/s open loop, %d connections; guard `%s`; bad color: %s%n%n",
                r.rate(), r.connections(), r.guard(), r.fault()));
        b.append("| cutover to the failing color | rolled back | switch to rollback (gateway) | failed requests "
                + "| answered by the failing color | breach |\n");
        b.append("|---|---|---:|---:|---:|---|\n");
        for (var t : r.bad()) {
            b.append(String.format(Locale.ROOT, "| %d | %s | %.0f ms | %d | %d | %s |%n", t.index(),
                    t.rolledBack() ? "yes" : "NO", t.rollbackMs(), t.failed(), t.onBadColor(),
                    t.breach() == null ? "–" : t.breach()));
        }
        b.append(String.format(Locale.ROOT, "%nswitch to rollback: median %.0f ms, max %.0f ms; failed requests per bad "
                        + "cutover: median %.0f, max %d%n", r.rollbackMedianMs(), r.rollbackMaxMs(), r.failedMedian(),
                r.failedMax()));
        b.append(String.format(Locale.ROOT, "healthy cutovers: %d, passed %d, rolled back (false positives) %d, "
                        + "not judged %d, failed requests %d; %,d requests in all%n", r.goodCutovers(), r.goodPassed(),
                r.goodRolledBack(), r.goodNotJudged(), r.goodFailed(), r.requests()));
        return b.toString();
    }

    public static String drain(DrainResult r) {
        var l = r.longRequests();
        var n = r.newRequests();
        var w = r.webSockets();
        return String.format(Locale.ROOT, """
                | drain timeout %d ms, switch answered in %.1f ms | count |
                |---|---:|
                | long requests (%d ms) started on blue | %d |
                | … finished OK on blue / on green / failed | %d / %d / %d (last ended %.0f ms after the switch) |
                | new requests after the switch: green / blue / failed | %d / %d / %d |
                | … on a keep-alive connection opened before the switch: green / blue | %d / %d |
                | WebSockets open on blue | %d |
                | … still answered by blue after the switch | %d |
                | … closed by the client before the timeout / closed by the gateway at the timeout / still open | %d / %d / %d |
                | … gateway closed them at (ms after the switch) | %s |
                """, r.drainTimeoutMs(), r.switchAnswerMs(), r.slowRequestMs(), l.sent(), l.onBlue(), l.onGreen(),
                l.failed(), l.lastEndedMs(), n.onGreen(), n.onBlue(), n.failed(), n.onPreSwitchConnectionGreen(),
                n.onPreSwitchConnectionBlue(), w.opened(), w.echoedByBlueAfterSwitch(), w.closedByClient(),
                w.closedByGateway(), w.stillOpen(), w.gatewayClosedAtMs().stream()
                        .map(d -> String.format(Locale.ROOT, "%.0f", d)).reduce((a, c) -> a + ", " + c).orElse("–"));
    }

    public static String connections(ConnectionsResult r) {
        var t = r.trickle();
        return String.format(Locale.ROOT, """
                | idle keep-alive connections | gateway RSS | heap used | RSS per connection | live requests (%d/s for %.0f s) p50 / p99 / max | errors |
                |---:|---:|---:|---:|---:|---:|
                | 0 | %.0f MiB | %s | | | |
                | %,d open (%,d still open at the end) | %.0f MiB | %s | %.1f KiB | %s / %s / %s | %d |
                """, t.rate(), t.seconds(), r.baselineRssMiB(), mib(r.baselineHeapMiB()), r.opened(), r.stillOpen(),
                r.rssMiB(), mib(r.heapMiB()), r.rssKiBPerConnection(), micros(t.p50Us()), micros(t.p99Us()),
                micros(t.maxUs()), t.errors() + r.failed());
    }

    public static String scale(ScaleResult r) {
        StringBuilder b = new StringBuilder("""
                | services | start → routed (gateway says so + 101 sampled hosts answer) | start phases (s since start; build, apply) | bench's check of every host | one EndpointSlice change takes effect (median / max, n) | gateway RSS / heap (live after GC) | `/metrics` | `/status` | `/status?service=` | rebuilds (mean time) for changes |
                |---:|---:|---|---:|---:|---:|---:|---:|---:|---:|
                """);
        for (ScaleResult.Size s : r.sizes()) {
            b.append(String.format(Locale.ROOT,
                    "| %,d | %.1f s (%.1f + %.1f) | %s | %.1f s (%,d/%,d) | %d / %d ms (%d of %d) | %.0f / %.0f (%.0f) MiB | %s | %s | %s | %,d (%.1f ms) for %,d |%n",
                    s.services(), s.startToRoutedMs() / 1000.0, s.gatewayRoutedMs() / 1000.0, s.sampleMs() / 1000.0,
                    phases(s.startPhasesMs()), s.allCheckMs() / 1000.0, s.routed(), s.services(), s.changeMedianMs(),
                    s.changeMaxMs(), s.changesApplied(), s.changeDelaysMs().size(), s.rssMiB(), s.heapMiB(),
                    s.liveHeapMiB(),
                    bytes(s.metricsBytes()), bytes(s.statusBytes()), bytes(s.statusOneServiceBytes()), s.applies(),
                    s.meanApplyMs(), s.changesSeen()));
        }
        if (r.sizes().stream().anyMatch(s -> s.churn() != null)) {
            b.append("""

                    | services | churn: slice PUTs (per s; sent >100 ms late) | change → takes effect (median / p99 / max; never) | the mock's PUT (median / p99) | rebuilds | queue delay (mean; > 50 ms; > 100 ms) | apply (mean; > 50 ms) |
                    |---:|---:|---:|---:|---:|---:|---:|
                    """);
            for (ScaleResult.Size s : r.sizes()) {
                ScaleResult.Churn c = s.churn();
                if (c != null) {
                    b.append(String.format(Locale.ROOT,
                            "| %,d | %,d in %d s (%.0f/s; %d) | %.1f / %.1f / %.1f ms; %d | %.0f / %.0f ms | %,d | %.1f ms; %d; %d | %.1f ms; %d |%n",
                            s.services(), c.puts(), c.seconds(), c.putsPerSecond(), c.lateSends(),
                            c.effectMedianUs() / 1000.0, c.effectP99Us() / 1000.0, c.effectMaxUs() / 1000.0,
                            c.unseen(), c.putMedianUs() / 1000.0, c.putP99Us() / 1000.0, c.rebuilds(),
                            c.queueMeanMs(), c.queueOver50ms(), c.queueOver100ms(), c.applyMeanMs(),
                            c.applyOver50ms()));
                }
            }
        }
        return b.toString();
    }

    /** {@code started 2.1, listed Ingress 5.0, ..., routed 9.8 s; build 0.4 s, apply 1.2 s}. */
    static String phases(java.util.Map<String, Long> p) {
        if (p == null || p.isEmpty()) {
            return "–";
        }
        StringBuilder at = new StringBuilder();
        p.forEach((k, v) -> {
            if (!k.equals("build") && !k.equals("apply")) {
                at.append(at.isEmpty() ? "" : ", ").append(k).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f", v / 1000.0));
            }
        });
        return at + String.format(Locale.ROOT, " s; build %.1f s, apply %.1f s", p.getOrDefault("build", -1L) / 1000.0,
                p.getOrDefault("apply", -1L) / 1000.0);
    }

    private static String bytes(long n) {
        return n >= 1 << 20 ? String.format(Locale.ROOT, "%.2f MB", n / 1e6)
                : n >= 1000 ? String.format(Locale.ROOT, "%.0f KB", n / 1e3) : n + " B";
    }

    static String micros(long us) {
        return us < 0 ? "–" : us >= 10_000 ? String.format(Locale.ROOT, "%.0f ms", us / 1000.0)
                : us >= 1000 ? String.format(Locale.ROOT, "%.2f ms", us / 1000.0) : us + " µs";
    }

    static String ratio(Double r) {
        return r == null ? "–" : String.format(Locale.ROOT, "%.2f×", r);
    }

    private static String mib(double v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", v);
    }
}
