package dev.teal.controller.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.HostPort;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfirmationTest {
    static final HostPort A = new HostPort("10.0.0.1", 9901);
    static final HostPort B = new HostPort("10.0.0.2", 9901);

    @Test
    void everyReplicaServingAndDrainedConfirms() {
        Confirmation c = Confirmation.of(List.of(new ReplicaAnswer(A, null, "green", null),
                new ReplicaAnswer(B, null, "green", null)), "green", false, "src");

        assertThat(c.complete()).isTrue();
        assertThat(c.message()).isEqualTo("2/2 gateway replicas confirmed green");
    }

    @Test
    void drainingReplicaHoldsConfirmationUntilTheDrainTimeout() {
        List<ReplicaAnswer> answers = List.of(new ReplicaAnswer(A, null, "green", "blue"),
                new ReplicaAnswer(B, null, "green", null));

        Confirmation before = Confirmation.of(answers, "green", false, "src");
        Confirmation after = Confirmation.of(answers, "green", true, "src");

        assertThat(before.complete()).isFalse();
        assertThat(before.allServing()).isTrue();
        assertThat(before.message()).isEqualTo(
                "2/2 gateway replicas serve green, 1/2 drained; waiting for 10.0.0.1:9901 serves green, draining blue");
        assertThat(after.complete()).isTrue();
        assertThat(after.message()).endsWith("(drain timeout passed)");
    }

    @Test
    void unreachableOrOldColorReplicaIsNeverConfirmedEvenAfterTheDrainTimeout() {
        Confirmation c = Confirmation.of(List.of(ReplicaAnswer.failed(A, "unreachable (timed out)"),
                new ReplicaAnswer(B, null, "blue", null)), "green", true, "src");

        assertThat(c.complete()).isFalse();
        assertThat(c.allServing()).isFalse();
        assertThat(c.message()).contains("10.0.0.1:9901 unreachable (timed out)").contains("10.0.0.2:9901 serves blue");
    }

    @Test
    void noReplicaIsNoConfirmation() {
        Confirmation c = Confirmation.of(List.of(), "green", true, "EndpointSlices of Service gw/admin");

        assertThat(c.complete()).isFalse();
        assertThat(c.message()).contains("no gateway replica found").contains("gw/admin");
    }
}
