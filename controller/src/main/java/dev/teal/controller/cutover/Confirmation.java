package dev.teal.controller.cutover;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The verdict on a cutover to {@code target} from every replica's answer.
 *
 * @param replicas  how many replicas were asked
 * @param serving   how many serve the target
 * @param confirmed how many serve the target and have drained (or whose drain timeout has passed)
 * @param message   one line for {@code teal.dev/status}, naming the replicas that hold the cutover up
 * @param answers   every replica's answer (a guard judges their window figures while the old color drains)
 */
public record Confirmation(int replicas, int serving, int confirmed, String message, List<ReplicaAnswer> answers) {

    public Confirmation {
        answers = answers == null ? List.of() : List.copyOf(answers);
    }

    public Confirmation(int replicas, int serving, int confirmed, String message) {
        this(replicas, serving, confirmed, message, List.of());
    }

    /**
     * @param drainTimeoutPassed true once the drain timeout has passed since the switch: a replica that serves the
     *                           target then counts as confirmed even if it still reports a drain
     */
    public static Confirmation of(List<ReplicaAnswer> answers, String target, boolean drainTimeoutPassed,
                                  String replicaSource) {
        if (answers.isEmpty()) {
            return new Confirmation(0, 0, 0, "no gateway replica found (" + replicaSource
                    + " has no ready endpoint); cannot confirm " + target);
        }
        int serving = (int) answers.stream().filter(a -> a.serves(target)).count();
        int confirmed = (int) answers.stream()
                .filter(a -> drainTimeoutPassed ? a.serves(target) : a.servesAndDrained(target)).count();
        String message;
        if (confirmed == answers.size()) {
            message = confirmed + "/" + answers.size() + " gateway replicas confirmed " + target
                    + (drainTimeoutPassed && answers.stream().anyMatch(a -> a.draining() != null)
                    ? " (drain timeout passed)" : "");
        } else {
            // unreachable replicas first: among hundreds, a dead or slow one is what the reader must see
            String waiting = answers.stream()
                    .filter(a -> !(drainTimeoutPassed ? a.serves(target) : a.servesAndDrained(target)))
                    .sorted(java.util.Comparator.comparing(ReplicaAnswer::reachable))
                    .limit(3).map(ReplicaAnswer::describe).collect(Collectors.joining("; "));
            long more = answers.size() - confirmed - Math.min(3, answers.size() - confirmed);
            message = serving + "/" + answers.size() + " gateway replicas serve " + target + ", " + confirmed + "/"
                    + answers.size() + " drained; waiting for " + waiting + (more > 0 ? "; and " + more + " more" : "");
        }
        return new Confirmation(answers.size(), serving, confirmed, message, answers);
    }

    /** Every replica that exists confirmed, and there is at least one. */
    public boolean complete() {
        return replicas > 0 && confirmed == replicas;
    }

    /** Every replica serves the target (some may still drain). */
    public boolean allServing() {
        return replicas > 0 && serving == replicas;
    }
}
