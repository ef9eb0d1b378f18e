package dev.teal.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.teal.bench.load.H2load;
import dev.teal.bench.process.Cpus;
import dev.teal.bench.process.Tools;
import dev.teal.bench.report.HtmlReport;
import dev.teal.bench.report.Results;
import dev.teal.bench.target.TealTarget;
import dev.teal.bench.target.Targets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls} scenario in quick mode with real processes: the built gateway jar, nginx and HAProxy terminating TLS
 * with a certificate openssl makes, h2load and wrk. Asserts that every target answered every cell over the protocol
 * asked for and that the JSON and the report are complete; never a performance figure. Skipped where h2load is not
 * installed, except in CI ({@code CI} set), where {@code bin/test} installs it and its absence is a failure.
 */
class TlsScenarioTest {
    @TempDir
    Path out;

    @Test
    void everyTargetAnswersH2HandshakesAndKeepAliveOverTls() throws Exception {
        assumeTrue(Tools.available(H2load.PROGRAM) || System.getenv("CI") != null,
                "h2load is not installed (" + H2load.INSTALL_HINT + "); skipping the tls bench scenario");
        RunContext ctx = new RunContext(true, Targets.ALL, Cpus.choose(true),
                new Targets.Settings(Targets.gatewayJar(null), TealTarget.Options.DEFAULT, 512), out.resolve("work"),
                "test");
        TlsScenario.Options opt = TlsScenario.Options.of(true);

        Results.write(out, "tls", TlsScenario.run(ctx, opt));
        TlsResult r = Results.read(out, "tls", TlsResult.class);

        assertThat(r.tealTlsProvider()).isIn("openssl", "jdk");
        assertThat(r.runs()).hasSize(3 * Targets.TLS.size() * opt.rounds());
        assertThat(r.rows()).extracting(row -> row.cell() + " " + row.target()).containsExactly(
                "h2 teal", "h2 nginx", "h2 haproxy",
                "handshake teal", "handshake nginx", "handshake haproxy",
                "h1-keepalive teal", "h1-keepalive nginx", "h1-keepalive haproxy");
        for (TlsResult.Row row : r.rows()) {
            String what = row.cell() + " " + row.target();
            assertThat(row.errors()).as(what).isZero();
            assertThat(row.requests()).as(what).isPositive();
            assertThat(row.medianRate()).as(what).isPositive().isBetween(row.minRate(), row.maxRate());
            assertThat(row.cpuUsPerRequest()).as(what).isPositive();
            assertThat(row.vsBestPeer()).as(what).satisfies(v -> {
                if (row.target().equals("teal")) {
                    assertThat(v).isPositive();
                } else {
                    assertThat(v).isNull();
                }
            });
        }
        assertThat(r.rows()).filteredOn(row -> row.cell().equals(TlsResult.H2)).allSatisfy(row -> {
            assertThat(row.applicationProtocol()).as(row.target()).isEqualTo("h2");
            assertThat(row.tlsProtocol()).as(row.target()).isIn("TLSv1.2", "TLSv1.3");
            assertThat(row.p99Us()).as(row.target()).isPositive();
        });
        assertThat(r.rows()).filteredOn(row -> row.cell().equals(TlsResult.HANDSHAKE)).allSatisfy(row -> {
            assertThat(row.applicationProtocol()).as(row.target()).isEqualTo("http/1.1");
            assertThat(row.requests()).as(row.target()).isGreaterThanOrEqualTo((long) opt.handshakeBatch());
        });
        assertThat(Files.readString(HtmlReport.write(out))).contains("<h2>tls</h2>");
    }
}
