package dev.teal.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
