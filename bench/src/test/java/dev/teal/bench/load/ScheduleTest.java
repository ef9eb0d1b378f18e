package dev.teal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final long START = 1_234_567_890_123L;

    @Test
    void intendedTimesDoNotDriftOverAFullRun() {
        // the full cutover run: 61 intervals of 2 s at a rate that does not divide a second evenly
        Schedule s = Schedule.of(START, 13_337, 122);

        assertThat(s.count()).isEqualTo(13_337 * 122);
        assertThat(s.intendedNanos(0)).isEqualTo(START);
        assertThat(s.intendedNanos(13_337)).isEqualTo(START + TimeUnit.SECONDS.toNanos(1));
        assertThat(s.endNanos()).isEqualTo(START + TimeUnit.SECONDS.toNanos(122));
        for (int i = 1; i < s.count(); i++) {
            long gap = s.intendedNanos(i) - s.intendedNanos(i - 1);
            assertThat(gap).isBetween(74_979L, 74_980L);
        }
    }

    @Test
    void dueCountAgreesWithIntendedTimesAtEveryRequest() {
        Schedule s = Schedule.of(START, 13_337, 10);

        assertThat(s.dueAt(START - 1)).isZero();
        for (int i = 0; i < s.count(); i++) {
            long t = s.intendedNanos(i);
            assertThat(s.dueAt(t)).as("due at request %d's time", i).isEqualTo(i + 1);
            assertThat(s.dueAt(t - 1)).as("due just before request %d", i).isEqualTo(i);
        }
        assertThat(s.dueAt(s.endNanos() + TimeUnit.HOURS.toNanos(1))).isEqualTo(s.count());
    }

    @Test
    void latencyCountsFromTheIntendedTimeNotFromTheSend() {
        Schedule s = Schedule.of(START, 1000, 1);
        // request 500 was due at +500 ms; it was sent late (at +900 ms) and answered at +901 ms
        long answered = START + TimeUnit.MILLISECONDS.toNanos(901);

        assertThat(s.latencyNanos(500, answered)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(401));
    }
}
