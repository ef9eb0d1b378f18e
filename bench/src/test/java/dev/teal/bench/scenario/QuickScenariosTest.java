package dev.teal.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.bench.process.Cpus;
import dev.teal.bench.report.HtmlReport;
import dev.teal.bench.report.Results;
import dev.teal.bench.target.TealTarget;
import dev.teal.bench.target.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Every scenario in quick mode, with real processes (the built gateway jar, nginx, HAProxy, wrk) on real sockets, so
 * that the bench cannot rot. Asserts that the JSON written is complete and sane and that the report renders from it;
 * never a performance figure.
 */
class QuickScenariosTest {
    @TempDir
    Path out;

    private RunContext context(List<String> targets) {
        return new RunContext(true, targets, Cpus.choose(true),
                new Targets.Settings(Targets.gatewayJar(null), TealTarget.Options.DEFAULT, 512), out.resolve("work"),
                "test");
    }

    private <T> T roundTrip(String scenario, Object result, Class<T> type) throws Exception {
        Results.write(out, scenario, result);
        T read = Results.read(out, scenario, type);
        Path html = HtmlReport.write(out);
        assertThat(Files.readString(html)).contains("<h2>" + scenario + "</h2>");
        return read;
    }

    @Test
    void scaleRoutesEveryServiceAndSeesEverySliceChange() throws Exception {
        ScaleScenario.Options opt = ScaleScenario.Options.of(true);
        ScaleResult r = roundTrip("scale", ScaleScenario.run(context(List.of("teal")), opt), ScaleResult.class);

        assertThat(r.sizes()).singleElement().satisfies(s -> {
            assertThat(s.routed()).isEqualTo(s.services());
            assertThat(s.changeDelaysMs()).hasSize(opt.changes()).allMatch(d -> d >= 0);
            assertThat(s.changesApplied()).isEqualTo(opt.changes());
            assertThat(s.changeMaxMs()).isGreaterThanOrEqualTo(s.changeMedianMs());
            assertThat(s.statusOneServiceBytes()).isPositive().isLessThan(s.statusBytes());
            assertThat(s.applies()).as("teal_discovery_apply_seconds_count").isPositive();
            assertThat(s.changesSeen()).as("at least the 3 N objects and the changes")
                    .isGreaterThanOrEqualTo(3L * s.services() + opt.changes());
            assertThat(s.gatewayRoutedMs()).isPositive().isLessThanOrEqualTo(s.startToRoutedMs());
            assertThat(s.startPhasesMs()).as("from the gateway's log")
                    .containsKeys("started", "listed Ingress", "listed Service", "listed EndpointSlice", "build",
                            "apply", "routed");
            assertThat(s.churn()).satisfies(c -> {
                assertThat(c.puts()).isEqualTo(100 * opt.churnSeconds());
                assertThat(c.unseen()).as("changes whose new backend never answered").isZero();
                assertThat(c.effectMaxUs()).isGreaterThanOrEqualTo(c.effectMedianUs()).isPositive();
                assertThat(c.storeScans()).as("PUTs and GETs the mock answered by scanning its store").isZero();
                assertThat(c.rebuilds()).isPositive();
            });
        });
    }

    @Test
    void guardRollsBackEveryCutoverToTheFailingColorAndNoHealthyOne() throws Exception {
        GuardScenario.Options opt = GuardScenario.Options.of(true);
        GuardResult r = roundTrip("guard", GuardScenario.run(context(List.of("teal")), opt), GuardResult.class);

        assertThat(r.bad()).hasSize(opt.badTrials()).allSatisfy(t -> {
            assertThat(t.rolledBack()).as("trial %d", t.index()).isTrue();
            assertThat(t.rollbackMs()).isPositive();
            assertThat(t.onBadColor()).isPositive();
            assertThat(t.breach()).isNotBlank();
        });
        assertThat(r.goodCutovers()).isEqualTo(opt.goodCutovers());
        assertThat(r.goodRolledBack()).as("false positives").isZero();
        assertThat(r.goodPassed() + r.goodNotJudged()).isEqualTo(r.goodCutovers());
        assertThat(r.requests()).isPositive();
    }

    @Test
    void compareMeasuresEveryTargetInEveryRound() throws Exception {
        CompareResult r = roundTrip("compare",
                CompareScenario.run(context(Targets.ALL), CompareScenario.Options.of(true)), CompareResult.class);

        assertThat(r.info().cores()).isPositive();
        assertThat(r.runs()).hasSize((Targets.ALL.size() + 2) * r.rounds());
        List<String> targets = new java.util.ArrayList<>(Targets.ALL);
        targets.addAll(List.of(CompareScenario.ONE_ROUTE, CompareScenario.MANY_ROUTES));
        assertThat(r.rows()).extracting(CompareResult.Row::target).containsExactlyElementsOf(targets);
        for (CompareResult.Row row : r.rows()) {
            assertThat(row.requests()).as(row.target()).isPositive();
            assertThat(row.rps()).isBetween(row.rpsMin(), row.rpsMax());
            assertThat(row.p99Us()).isGreaterThanOrEqualTo(row.p50Us());
            assertThat(row.vsDirect()).isNotNull();
            assertThat(row.vsNginx()).isNotNull();
        }
        assertThat(r.rows()).filteredOn(row -> row.target().equals("direct"))
                .singleElement().satisfies(direct -> assertThat(direct.errors()).isZero());
        assertThat(out.resolve("compare-rps.png")).isNotEmptyFile();
    }

    @Test
    void cutoverChecksEveryAnswerAgainstTheSwitches() throws Exception {
        CutoverScenario.Options opt = CutoverScenario.Options.of(true);
        CutoverResult r = roundTrip("cutover",
                CutoverScenario.run(context(List.of("teal", "nginx", "haproxy")), opt), CutoverResult.class);

        assertThat(r.targets()).extracting(CutoverResult.TargetRun::target).containsExactly("teal", "nginx", "haproxy");
        for (CutoverResult.TargetRun t : r.targets()) {
            assertThat(t.requests()).as(t.target()).isPositive();
            assertThat(t.ok() + t.errors()).isEqualTo(t.requests());
            assertThat(t.switchLog()).hasSize(opt.switches());
            assertThat(t.seconds()).isNotEmpty();
            long answered = t.seconds().stream().mapToLong(s -> s.byColor().values().stream().mapToLong(Long::longValue).sum()).sum();
            assertThat(answered).isEqualTo(t.ok());
            // both colors served: the switches took effect
            assertThat(t.seconds().stream().flatMap(s -> s.byColor().keySet().stream()).distinct())
                    .contains("blue", "green");
            // the per-switch counts add up to the target's total, and the switches alternate blue <-> green
            assertThat(t.switchLog().stream().mapToLong(CutoverResult.Switch::oldAfterAnswer).sum())
                    .isEqualTo(t.oldAfterSwitch());
            for (int i = 0; i < t.switchLog().size(); i++) {
                CutoverResult.Switch s = t.switchLog().get(i);
                assertThat(s.from()).as("switch %d", i).isNotEqualTo(s.to()).isIn("blue", "green");
                if (i > 0) {
                    assertThat(s.from()).as("switch %d starts where the last ended", i).isEqualTo(t.switchLog().get(i - 1).to());
                }
            }
        }
        CutoverResult.TargetRun teal = r.targets().get(0);
        assertThat(teal.oldAfterSwitch()).as("teal: old-color answers after a switch answer").isZero();
        assertThat(out.resolve("cutover-teal.png")).isNotEmptyFile();
    }

    @Test
    void drainKeepsLongRequestsAndWebSocketsOnBlue() throws Exception {
        DrainResult r = roundTrip("drain", DrainScenario.run(context(List.of("teal")), DrainScenario.Options.of(true)),
                DrainResult.class);

        assertThat(r.longRequests().sent()).isPositive();
        assertThat(r.longRequests().onBlue()).isEqualTo(r.longRequests().sent());
        assertThat(r.newRequests().onGreen()).isEqualTo(r.newRequests().sent());
        assertThat(r.webSockets().opened()).isPositive();
        assertThat(r.webSockets().closedByClient() + r.webSockets().closedByGateway() + r.webSockets().stillOpen())
                .isEqualTo(r.webSockets().opened());
        // the gateway's own account once the drain ended: none in progress, the last one ended as the run saw it
        JsonNode shop = r.gatewayStatusAfter().at("/services/" + TealTarget.SERVICE);
        assertThat(shop.get("serving").asString()).isEqualTo("green");
        assertThat(shop.get("drain").isNull()).as("no drain in progress: %s", shop).isTrue();
        assertThat(shop.at("/lastDrain/result").asString()).as("%s", shop)
                .isEqualTo(r.webSockets().closedByGateway() > 0 ? "drain_timeout" : "drained");
    }

    @Test
    void connectionsHoldsIdleConnectionsAndReadsGatewayMemory() throws Exception {
        ConnectionsResult r = roundTrip("connections",
                ConnectionsScenario.run(context(List.of("teal")), ConnectionsScenario.Options.of(true)),
                ConnectionsResult.class);

        assertThat(r.opened()).isEqualTo(r.connections());
        assertThat(r.answered()).isEqualTo(r.connections());
        assertThat(r.rssMiB()).isPositive();
        assertThat(r.baselineRssMiB()).isPositive();
        assertThat(r.steps()).hasSizeGreaterThan(1);
        assertThat(r.trickle().requests()).isPositive();
        assertThat(out.resolve("connections.png")).isNotEmptyFile();
    }
}
