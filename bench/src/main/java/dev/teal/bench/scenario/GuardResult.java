package dev.teal.bench.scenario;

import java.util.List;

/**
 * {@code guard}: Teal only. Open-loop load while the service, guarded, is switched to a color that fails
 * ({@code badTrials} times; each must be rolled back by the gateway itself) and then between two healthy colors
 * ({@code goodCutovers} times; none may be rolled back).
 *
 * @param bad  one row per cutover to the failing color
 * @param good the healthy cutovers' verdicts: passed, rolled back (false positives), not judged
 */
public record GuardResult(RunInfo info, int rate, int connections, String guard, String fault, List<BadTrial> bad,
                          double rollbackMedianMs, double rollbackMaxMs, double failedMedian, long failedMax,
                          int goodCutovers, int goodPassed, int goodRolledBack, int goodNotJudged, long goodFailed,
                          long requests) {

    /**
     * One cutover to the failing color.
     *
     * @param rollbackMs    from the switch to the rollback, as the gateway recorded them ({@code /status} guard
     *                      {@code switchedAt} and {@code decidedAt})
     * @param failed        requests that failed from the switch command until 1 s after the rollback was seen
     * @param onBadColor    requests the failing color answered in that time
     * @param rolledBack    whether the gateway rolled back within the trial's time limit
     */
    public record BadTrial(int index, boolean rolledBack, double rollbackMs, long failed, long onBadColor,
                           String breach) {}
}
