package dev.teal.controller.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.HostPort;
import dev.teal.contract.guard.Guard;
import dev.teal.contract.status.WindowStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardFiguresTest {
    private static final HostPort A = new HostPort("10.0.0.1", 9901);
    private static final HostPort B = new HostPort("10.0.0.2", 9901);
    private static final HostPort C = new HostPort("10.0.0.3", 9901);

    @Test
    void countsAreSummedAndHistogramsMergedAcrossReplicasNeverPercentilesAveraged() {
        // A: 1000 fast requests (p99 5 ms); B: 100 requests of which 15 slow (p99 800 ms). Averaging the p99s would
        // say about 400 ms; merged, 15 of 1100 (1.4%) are slower than 500 ms, so p99 < 500ms is breached
        ReplicaAnswer a = new ReplicaAnswer(A, null, "green", null,
                Map.of("green", new WindowStatus(30, 1000, 0, Map.of("5", 1000L))));
        ReplicaAnswer b = new ReplicaAnswer(B, null, "green", null,
                Map.of("green", new WindowStatus(30, 100, 3, Map.of("5", 85L, "800", 15L))));
        GuardFigures f = GuardFigures.of(List.of(a, b), "green");

        assertThat(f.reported()).isEqualTo(2);
        assertThat(f.figures().requests()).isEqualTo(1100);
        assertThat(f.figures().errors()).isEqualTo(3);
        Guard.Verdict v = Guard.parse("p99<500ms, min-requests=100").judge(f.figures());
        assertThat(v.kind()).isEqualTo(Guard.Verdict.Kind.BREACH);
        assertThat(v.breach()).isEqualTo("p99 800ms >= 500ms");
    }

    @Test
    void aReplicaThatDoesNotServeTheColorYetOrIsUnreachableIsLeftOutAndCounted() {
        ReplicaAnswer serving = new ReplicaAnswer(A, null, "green", null,
                Map.of("green", new WindowStatus(30, 10, 1, Map.of("5", 10L))));
        ReplicaAnswer stillBlue = new ReplicaAnswer(B, null, "blue", null,
                Map.of("green", new WindowStatus(30, 500, 500, Map.of("5", 500L))));
        ReplicaAnswer down = ReplicaAnswer.failed(C, "unreachable (connection refused)");
        GuardFigures f = GuardFigures.of(List.of(serving, stillBlue, down), "green");

        assertThat(f.figures().requests()).isEqualTo(10);
        assertThat(f.describe()).isEqualTo("1/3 gateway replicas reported");
    }
}
