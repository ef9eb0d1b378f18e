package dev.teal.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CutoverStatusTest {
    static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void statusIsShortJsonWithIsoTimesAndNoNulls() {
        CutoverStatus s = new CutoverStatus(Phase.Active, "green", "serving green", T, null,
                new CutoverStatus.LastCutover("blue", "green", T.plusSeconds(4), 4.2, 2), null);

        assertThat(s.toJson()).isEqualTo("{\"phase\":\"Active\",\"serving\":\"green\",\"message\":\"serving green\","
                + "\"since\":\"2026-03-01T10:00:00Z\",\"lastCutover\":{\"from\":\"blue\",\"to\":\"green\","
                + "\"completedAt\":\"2026-03-01T10:00:04Z\",\"seconds\":4.2,\"replicas\":2}}");
    }

    @Test
    void statusSurvivesARoundTrip() {
        CutoverStatus s = new CutoverStatus(Phase.Draining, "green", "m", T,
                new CutoverStatus.Cutover("blue", "green", T, T.plusSeconds(1)), null,
                new CutoverStatus.ScaleDown("red", T.plusSeconds(60)));

        assertThat(CutoverStatus.parse(s.toJson())).isEqualTo(s);
    }

    @Test
    void unreadableStatusIsTreatedAsAbsent() {
        assertThat(CutoverStatus.parse("{not json")).isNull();
        assertThat(CutoverStatus.parse("{\"phase\":\"Sideways\",\"message\":\"x\"}")).isNull();
        assertThat(CutoverStatus.parse("{\"serving\":\"blue\"}")).isNull();
        assertThat(CutoverStatus.parse(null)).isNull();
    }

    @Test
    void sinceMovesOnlyWhenThePhaseChanges() {
        CutoverStatus s = new CutoverStatus(Phase.Switching, "green", "a", T, null, null, null);

        assertThat(s.next(Phase.Switching, "green", "b", T.plusSeconds(5), null).since()).isEqualTo(T);
        assertThat(s.next(Phase.Draining, "green", "b", T.plusSeconds(5), null).since()).isEqualTo(T.plusSeconds(5));
    }
}
