package dev.teal.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start phases come out of the gateway's own log lines (captured from a real run), in the order they happened. */
class StartPhasesTest {
    @Test
    void phasesAreMillisecondsSinceTheProcessStartedAndBuildAndApplyAreDurations() {
        List<String> log = List.of(
                "[1.415s][info][jfr,startup] Started recording 1.",
                "ts=2026-11-29T11:21:39.126Z level=INFO logger=Gateway msg=\"gateway started\" listen=\"127.0.0.1:33983\"",
                "ts=2026-11-29T11:21:41.267Z level=INFO logger=ClusterDiscovery msg=\"informer listed\" kind=\"Service\""
                        + " objects=\"10000\" tookMs=\"1750\"",
                "ts=2026-11-29T11:21:42.960Z level=INFO logger=ClusterDiscovery msg=\"informer listed\" kind=\"Ingress\""
                        + " objects=\"10000\" tookMs=\"3443\"",
                "ts=2026-11-29T11:21:44.204Z level=INFO logger=ClusterDiscovery msg=\"informer listed\""
                        + " kind=\"EndpointSlice\" objects=\"10000\" tookMs=\"4687\"",
                "ts=2026-11-29T11:21:53.224Z level=INFO logger=Gateway msg=\"configuration applied\" services=\"10000\"",
                "ts=2026-11-29T11:21:53.236Z level=INFO logger=ClusterDiscovery msg=\"cluster routed\" services=\"10000\""
                        + " buildMs=\"3850\" applyMs=\"5389\" sinceStartMs=\"13719\"");

        var phases = StartPhases.parse(log, Instant.parse("2026-11-29T11:21:35.500Z"));

        assertThat(phases).containsExactly(
                java.util.Map.entry("started", 3_626L),
                java.util.Map.entry("listed Service", 5_767L),
                java.util.Map.entry("listed Ingress", 7_460L),
                java.util.Map.entry("listed EndpointSlice", 8_704L),
                java.util.Map.entry("build", 3_850L),
                java.util.Map.entry("apply", 5_389L),
                java.util.Map.entry("routed", 17_736L));
    }

    @Test
    void awaitReadsAgainUntilEveryPhaseIsInTheLog(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gateway.log");
        Files.writeString(log, "ts=2026-11-29T11:21:41.000Z level=INFO logger=ClusterDiscovery msg=\"cluster routed\""
                + " services=\"1\" buildMs=\"3\" applyMs=\"4\"\n");
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try {
            // the informer's line comes after routing, as it can from the gateway's asynchronous log
            Future<Path> late = writer.schedule(() -> Files.writeString(log, "ts=2026-11-29T11:21:41.100Z level=INFO"
                    + " logger=ClusterDiscovery msg=\"informer listed\" kind=\"Service\" objects=\"1\"\n",
                    StandardOpenOption.APPEND), 300, TimeUnit.MILLISECONDS);

            var phases = StartPhases.await(log, Instant.parse("2026-11-29T11:21:40.000Z"),
                    List.of("routed", "listed Service"), Duration.ofSeconds(30));

            assertThat(late).isDone();
            assertThat(phases).containsEntry("routed", 1_000L).containsEntry("listed Service", 1_100L);
        } finally {
            writer.shutdownNow();
        }
    }

    @Test
    void awaitGivesWhatIsThereWhenAPhaseNeverComes(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("gateway.log");
        Files.writeString(log, "ts=2026-11-29T11:21:41.000Z level=INFO logger=Gateway msg=\"gateway started\"\n");

        var phases = StartPhases.await(log, Instant.parse("2026-11-29T11:21:40.000Z"), List.of("started", "routed"),
                Duration.ofMillis(300));

        assertThat(phases).containsOnlyKeys("started");
    }
}
