package dev.teal.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.bench.load.RequestLog;
import dev.teal.bench.load.RequestLogs;
import dev.teal.bench.load.Schedule;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The judgement of every answer against the switches, on a hand-made log. */
class CutoverAnalysisTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long START = 1_000_000 * MS;

    // 1000 req/s for 2 s; one switch blue -> green commanded at 1000 ms, answered at 1010 ms
    private final Schedule schedule = Schedule.of(START, 1000, 2);
    private final CutoverScenario.SwitchEvent blueToGreen =
            new CutoverScenario.SwitchEvent(START + 1000 * MS, START + 1010 * MS, "blue", "green");

    @Test
    void anOldColorAnswerToARequestSentAfterTheSwitchAnswerIsCounted() {
        RequestLog log = RequestLogs.of(schedule);
        for (int i = 0; i < schedule.count(); i++) {
            long sent = schedule.intendedNanos(i);
            // in flight across the switch and sent during the command: blue is allowed; request 1500 is a violation
            String color = sent < START + 1010 * MS || i == 1500 ? "blue" : "green";
            RequestLogs.answer(log, i, sent, sent + 2 * MS, 200, color);
        }

        CutoverResult.TargetRun r = CutoverScenario.analyze("teal", log, List.of(blueToGreen));

        assertThat(r.requests()).isEqualTo(2000);
        assertThat(r.errors()).isZero();
        assertThat(r.oldAfterSwitch()).isEqualTo(1);
        assertThat(r.switchLog()).singleElement().satisfies(s -> {
            assertThat(s.oldAfterAnswer()).isEqualTo(1);
            assertThat(s.answerMs()).isEqualTo(10.0);
            // the last old-color answer to a request sent after the command: request 1500, answered at 1502 ms
            assertThat(s.mixedWindowMs()).isEqualTo(502.0);
        });
        assertThat(r.seconds()).hasSize(2);
        assertThat(r.seconds().get(0).byColor()).isEqualTo(Map.of("blue", 1000L));
        assertThat(r.seconds().get(1).byColor()).isEqualTo(Map.of("blue", 11L, "green", 989L));
    }

    @Test
    void failuresAreCountedByKindAndLatencyComesFromTheIntendedTime() {
        RequestLog log = RequestLogs.of(schedule);
        for (int i = 0; i < schedule.count(); i++) {
            long sent = schedule.intendedNanos(i);
            if (i == 10) {
                RequestLogs.fail(log, i, sent, sent + MS);
            } else if (i == 11) {
                RequestLogs.answer(log, i, sent, sent + MS, 502, null);
            } else {
                String color = sent < START + 1000 * MS ? "blue" : "green";
                // request 20 was sent 100 ms late: its latency counts from when it was due
                RequestLogs.answer(log, i, i == 20 ? sent + 100 * MS : sent, sent + (i == 20 ? 101 : 1) * MS, 200, color);
            }
        }

        CutoverResult.TargetRun r = CutoverScenario.analyze("nginx", log, List.of(blueToGreen));

        assertThat(r.errors()).isEqualTo(2);
        assertThat(r.errorKinds()).isEqualTo(Map.of("closed", 1L, "status 502", 1L));
        assertThat(r.seconds().get(0).errors()).isEqualTo(2);
        assertThat(r.oldAfterSwitch()).isZero();
        assertThat(r.maxUs()).isBetween(100_900L, 101_100L);
        assertThat(r.switchLog().get(0).mixedWindowMs()).isZero();
    }

    @Test
    void aRequestInTransitAcrossTheNextSwitchMayBeAnsweredByThatSwitchsColor() {
        // blue -> green at 1000 ms; green -> blue commanded at 1500 ms, answered at 1510 ms
        CutoverScenario.SwitchEvent greenToBlue =
                new CutoverScenario.SwitchEvent(START + 1500 * MS, START + 1510 * MS, "green", "blue");
        RequestLog log = RequestLogs.of(schedule);
        for (int i = 0; i < schedule.count(); i++) {
            long sent = schedule.intendedNanos(i);
            String color = sent < START + 1010 * MS || sent >= START + 1500 * MS ? "blue" : "green";
            // request 1499 was sent before the second command but read by the gateway after it: blue is right
            RequestLogs.answer(log, i, sent, sent + (i == 1499 ? 5 : 1) * MS, 200, i == 1499 ? "blue" : color);
        }

        CutoverResult.TargetRun r = CutoverScenario.analyze("teal", log, List.of(blueToGreen, greenToBlue));

        assertThat(r.oldAfterSwitch()).isZero();
    }
}
