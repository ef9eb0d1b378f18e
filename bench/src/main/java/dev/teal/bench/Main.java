package dev.teal.bench;

import dev.teal.bench.process.Cpus;
import dev.teal.bench.process.Tools;
import dev.teal.bench.report.HtmlReport;
import dev.teal.bench.report.Results;
import dev.teal.bench.report.Tables;
import dev.teal.bench.scenario.CompareResult;
import dev.teal.bench.scenario.CompareScenario;
import dev.teal.bench.scenario.ConnectionsResult;
import dev.teal.bench.scenario.ConnectionsScenario;
import dev.teal.bench.scenario.CutoverResult;
import dev.teal.bench.scenario.CutoverScenario;
import dev.teal.bench.scenario.DrainResult;
import dev.teal.bench.scenario.DrainScenario;
import dev.teal.bench.scenario.GuardResult;
import dev.teal.bench.scenario.GuardScenario;
import dev.teal.bench.scenario.RunContext;
import dev.teal.bench.scenario.ScaleResult;
import dev.teal.bench.scenario.ScaleScenario;
import dev.teal.bench.scenario.TlsResult;
import dev.teal.bench.scenario.TlsScenario;
import dev.teal.bench.target.TealTarget;
import dev.teal.bench.target.Targets;
import java.nio.file.Path;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar teal-bench.jar <compare|cutover|drain|connections|all|scale|guard|tls> [--quick] [options]} and
 * {@code java -jar teal-bench.jar report DIR}.
 */
public final class Main {
    static final String USAGE = """
            usage: java -jar bench/target/teal-bench.jar SCENARIO [--quick] [options]
                   java -jar bench/target/teal-bench.jar report DIR      (regenerate DIR/report.html from DIR/*.json)
                   java -jar bench/target/teal-bench.jar corpus [--out FILE.md]
                                                         (hardening corpus against Teal, nginx and HAProxy)
            scenarios: compare, cutover, drain, connections, all (these four), scale, guard, tls
            options:
              --quick               a few seconds per scenario (what CI runs)
              --out DIR             output directory (default bench/results/<timestamp>)
              --targets a,b,...     of direct,ceiling,teal,nginx,haproxy (default: all; cutover skips
                                    direct and ceiling, which have no colors)
              --gateway-jar PATH    default gateway/target/teal-gateway.jar
              --no-pin              do not pin with taskset
              --bodies B,B,...      compare: only these bodies (of tiny, 1KiB, 16KiB)
              --conns N,N,...       compare: only these connection counts (default 64,256; --quick: 64)
              --profile             compare: per cell and target, bytes allocated per request (JFR, JVM
                                    targets) and syscalls per request (strace -c), from two extra wrk runs
              --rate N              cutover: requests/s (default full: half of teal's measured maximum);
                                    guard: requests/s (default 1000)
              --switches N          cutover: number of switches; guard: healthy cutovers (default 20)
              --connections N       connections: idle connections
              --sizes N,N,...       scale: numbers of services (default 100,1000)
              --changes N           scale: EndpointSlice changes timed per size (default 20)
              --heap SIZE           scale: the gateway's heap (-Xms/-Xmx, e.g. 512m; default the README's 128m)
              --churn SECONDS       scale: then 100 EndpointSlice changes/s for this long (default 10 s; --quick: none)
            tls: TLS termination and HTTP/2 from clients (teal, nginx, haproxy of --targets); also needs h2load:
                 apt-get install nghttp2-client
            needs nginx, HAProxy and wrk: apt-get install nginx haproxy wrk
            """;

    private Main() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args));
        } catch (Tools.MissingToolException e) {
            System.err.println("teal-bench: " + e.getMessage());
            System.exit(3);
        } catch (IllegalArgumentException e) {
            System.err.println("teal-bench: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
        } catch (Exception e) {
            System.err.println("teal-bench: failed: " + e);
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String... args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        if (command.equals("corpus")) {
            dev.teal.bench.corpus.CorpusComparison.main(Arrays.copyOfRange(args, 1, args.length));
            return 0;
        }
        Options o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
        if (command.equals("report")) {
            Path dir = Path.of(o.positional.isEmpty() ? o.out : o.positional.get(0));
            System.out.println("report: " + HtmlReport.write(dir).toAbsolutePath());
            return 0;
        }
        List<String> scenarios = command.equals("all") ? List.of("compare", "cutover", "drain", "connections")
                : List.of(command);
        for (String s : scenarios) {
            if (!Results.TYPES.containsKey(s)) {
                throw new IllegalArgumentException("unknown scenario " + s);
            }
        }
        Path out = (Path.of(o.out != null ? o.out
                : "bench/results/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        Cpus cpus = Cpus.choose(o.pin);
        cpus.pinThisJvmToLoadCore();
        RunContext ctx = new RunContext(o.quick, o.targets, cpus,
                new Targets.Settings(Targets.gatewayJar(o.gatewayJar), TealTarget.Options.DEFAULT, 512),
                out.resolve("work"), "java -jar bench/target/teal-bench.jar " + String.join(" ", args));
        for (String s : scenarios) {
            System.out.println("== " + s + (o.quick ? " (quick)" : "") + " · " + cpus.describe());
            String table = switch (s) {
                case "compare" -> {
                    CompareResult r = CompareScenario.run(ctx,
                            CompareScenario.Options.of(o.quick).withCells(o.bodies, o.conns).withProfile(o.profile));
                    Results.write(out, s, r);
                    yield Tables.compare(r);
                }
                case "cutover" -> {
                    CutoverScenario.Options d = CutoverScenario.Options.of(o.quick);
                    CutoverResult r = CutoverScenario.run(ctx, new CutoverScenario.Options(
                            o.rate != null ? o.rate : d.rate(), d.connections(),
                            o.switches != null ? o.switches : d.switches(), d.interval(), d.warmup()));
                    Results.write(out, s, r);
                    yield Tables.cutover(r);
                }
                case "scale" -> {
                    ScaleScenario.Options d = ScaleScenario.Options.of(o.quick);
                    ScaleResult r = ScaleScenario.run(ctx, new ScaleScenario.Options(
                            o.sizes != null ? o.sizes : d.sizes(), o.changes != null ? o.changes : d.changes(),
                            d.routedTimeout(), o.heap, o.churn != null ? o.churn : d.churnSeconds(), o.profile));
                    Results.write(out, s, r);
                    yield Tables.scale(r);
                }
                case "guard" -> {
                    GuardScenario.Options d = GuardScenario.Options.of(o.quick);
                    GuardResult r = GuardScenario.run(ctx, new GuardScenario.Options(
                            o.rate != null ? o.rate : d.rate(), d.connections(), d.errorPercent(), d.guard(),
                            d.badTrials(), o.switches != null ? o.switches : d.goodCutovers(), d.trialLimit(),
                            d.warmup()));
                    Results.write(out, s, r);
                    yield Tables.guard(r);
                }
                case "tls" -> {
                    TlsResult r = TlsScenario.run(ctx, TlsScenario.Options.of(o.quick));
                    Results.write(out, s, r);
                    yield Tables.tls(r);
                }
                case "drain" -> {
                    DrainResult r = DrainScenario.run(ctx, DrainScenario.Options.of(o.quick));
                    Results.write(out, s, r);
                    yield Tables.drain(r);
                }
                default -> {
                    ConnectionsScenario.Options d = ConnectionsScenario.Options.of(o.quick);
                    ConnectionsResult r = ConnectionsScenario.run(ctx, new ConnectionsScenario.Options(
                            o.connections != null ? o.connections : d.connections(), d.steps(), d.trickleRate(),
                            d.trickle(), d.warmup()));
                    Results.write(out, s, r);
                    yield Tables.connections(r);
                }
            };
            System.out.println(table);
        }
        System.out.println("report: " + HtmlReport.write(out).toAbsolutePath());
        return 0;
    }

    /** Parsed options. */
    static final class Options {
        boolean quick;
        boolean pin = true;
        boolean profile;
        List<dev.teal.bench.backend.Body> bodies;
        List<Integer> conns;
        String out;
        String gatewayJar;
        List<String> targets = Targets.ALL;
        Integer rate;
        Integer switches;
        Integer connections;
        List<Integer> sizes;
        Integer changes;
        String heap;
        Integer churn;
        final List<String> positional = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> o.quick = true;
                    case "--no-pin" -> o.pin = false;
                    case "--profile" -> o.profile = true;
                    case "--bodies" -> o.bodies = java.util.Arrays.stream(value(args, ++i, a).split(","))
                            .map(v -> dev.teal.bench.backend.Body.parse(v.trim())).toList();
                    case "--conns" -> o.conns = java.util.Arrays.stream(value(args, ++i, a).split(","))
                            .map(v -> positiveInt(v.trim(), a)).toList();
                    case "--out" -> o.out = value(args, ++i, a);
                    case "--gateway-jar" -> o.gatewayJar = value(args, ++i, a);
                    case "--targets" -> {
                        o.targets = List.of(value(args, ++i, a).split(","));
                        for (String t : o.targets) {
                            if (!Targets.ALL.contains(t)) {
                                throw new IllegalArgumentException("unknown target " + t);
                            }
                        }
                    }
                    case "--rate" -> o.rate = positiveInt(value(args, ++i, a), a);
                    case "--switches" -> o.switches = positiveInt(value(args, ++i, a), a);
                    case "--connections" -> o.connections = positiveInt(value(args, ++i, a), a);
                    case "--sizes" -> o.sizes = java.util.Arrays.stream(value(args, ++i, a).split(","))
                            .map(v -> positiveInt(v.trim(), a)).toList();
                    case "--changes" -> o.changes = positiveInt(value(args, ++i, a), a);
                    case "--heap" -> {
                        o.heap = value(args, ++i, a);
                        if (!o.heap.matches("[0-9]+[mMgG]")) {
                            throw new IllegalArgumentException(a + " takes a JVM size like 512m, not '" + o.heap + "'");
                        }
                    }
                    case "--churn" -> o.churn = positiveInt(value(args, ++i, a), a);
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        o.positional.add(a);
                    }
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positiveInt(String s, String option) {
            try {
                int v = Integer.parseInt(s);
                if (v > 0) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
            throw new IllegalArgumentException(option + " needs a positive integer, not " + s);
        }
    }

}
