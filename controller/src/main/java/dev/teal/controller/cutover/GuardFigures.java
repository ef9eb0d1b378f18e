package dev.teal.controller.cutover;

import dev.teal.contract.guard.WindowFigures;
import dev.teal.contract.status.WindowStatus;
import java.util.List;

/**
 * A guarded color's figures across every gateway replica: counts summed, latency histograms merged bucket by bucket
 * (never percentiles averaged), so the controller judges exactly what all replicas together answered.
 *
 * @param replicas how many replicas were asked
 * @param reported how many of them serve the color and reported its window figures
 * @param figures  the sum of what they reported
 */
public record GuardFigures(int replicas, int reported, WindowFigures figures) {

    /** Sums the window figures of {@code color} from every replica that serves it and reported them. */
    public static GuardFigures of(List<ReplicaAnswer> answers, String color) {
        WindowFigures sum = WindowFigures.EMPTY;
        int reported = 0;
        for (ReplicaAnswer a : answers) {
            WindowStatus w = a.windows().get(color);
            if (!a.serves(color) || w == null) {
                continue;
            }
            try {
                sum = sum.plus(WindowFigures.of(w));
                reported++;
            } catch (IllegalArgumentException e) {
                // a replica with other bucket bounds (another version) is left out rather than mixed in
            }
        }
        return new GuardFigures(answers.size(), reported, sum);
    }

    /** A few words for the status message. */
    public String describe() {
        return reported + "/" + replicas + " gateway replicas reported";
    }
}
