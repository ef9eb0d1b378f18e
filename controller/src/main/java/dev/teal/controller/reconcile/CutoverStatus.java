package dev.teal.controller.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The controller's record on a front Service ({@code teal.dev/status}), short JSON. It carries everything a new
 * leader needs to resume: the phase and since when, the cutover in progress, the last completed one and a pending
 * scale-down. Example:
 *
 * <pre>{"phase":"Active","serving":"green","message":"serving green; 2/2 gateway replicas confirmed",
 * "since":"...","lastCutover":{"from":"blue","to":"green","completedAt":"...","seconds":3.2,"replicas":2}}</pre>
 *
 * @param serving     the color in {@code teal.dev/serving} when this status was written; null before the first
 * @param since       when the current phase began
 * @param cutover     the cutover in progress (Waiting, Switching, Draining; kept while Blocked), else null
 * @param lastCutover the last completed cutover, or null
 * @param scaleDown   a scale-down of the old color that is due after a confirmed cutover (with a guard: after the
 *                    bake passed), or null
 * @param bake        the guard's bake in progress (phase Baking), else null
 * @param guard       the guard's last verdict ({@code passed}, {@code not_judged}, {@code rolled_back}), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CutoverStatus(Phase phase, String serving, String message, Instant since, Cutover cutover,
                            LastCutover lastCutover, ScaleDown scaleDown, Bake bake, GuardVerdict guard) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public CutoverStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(message, "message");
    }

    /** A status without a guard's bake or verdict. */
    public CutoverStatus(Phase phase, String serving, String message, Instant since, Cutover cutover,
                         LastCutover lastCutover, ScaleDown scaleDown) {
        this(phase, serving, message, since, cutover, lastCutover, scaleDown, null, null);
    }

    /**
     * The guard watching a confirmed cutover from {@code from} to {@code to} until {@code until}.
     *
     * @param guard   the guard as written
     * @param judged  at least one judgement had {@code min-requests} and passed
     * @param figures the last figures judged, summed across replicas
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Bake(String guard, String from, String to, Instant until, boolean judged, String figures) {
    }

    /**
     * The guard's verdict on the cutover from {@code from} to {@code to}.
     *
     * @param result  {@code passed}, {@code not_judged} (too few requests during the whole bake) or
     *                {@code rolled_back} (switched back to {@code from})
     * @param figures the figures judged, summed across replicas
     * @param breach  what breached (rolled back only)
     * @param retry   the {@code teal.dev/retry} value at the rollback: a different value retries the cutover
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GuardVerdict(String result, String from, String to, Instant at, String figures, String breach,
                               String retry) {
    }

    /**
     * A cutover in progress.
     *
     * @param from       the color served before (null for the first cutover of a Service)
     * @param startedAt  when the user's change was first seen
     * @param switchedAt when {@code teal.dev/serving} was written; null while Waiting
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cutover(String from, String to, Instant startedAt, Instant switchedAt) {
        public Cutover withSwitchedAt(Instant at) {
            return new Cutover(from, to, startedAt, at);
        }
    }

    /** A completed cutover: from, to, when it completed, how long it took overall and how many replicas confirmed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LastCutover(String from, String to, Instant completedAt, double seconds, int replicas) {
    }

    /** Deployments of {@code color} go to 0 replicas at {@code after}. */
    public record ScaleDown(String color, Instant after) {
    }

    /** Reads a status annotation; null when absent or unreadable (a hand-edited status is simply rebuilt). */
    public static CutoverStatus parse(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(json, CutoverStatus.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    public String toJson() {
        return JSON.writeValueAsString(this);
    }

    /** The same record in another phase with another message; {@code since} moves only when the phase changes. */
    public CutoverStatus next(Phase newPhase, String newServing, String newMessage, Instant now, Cutover newCutover) {
        Instant newSince = newPhase == phase && since != null ? since : now;
        return new CutoverStatus(newPhase, newServing, newMessage, newSince, newCutover, lastCutover, scaleDown,
                newPhase == Phase.Baking ? bake : null, guard);
    }

    public CutoverStatus withLastCutover(LastCutover last, ScaleDown pending) {
        return new CutoverStatus(phase, serving, message, since, cutover, last, pending, bake, guard);
    }

    public CutoverStatus withScaleDown(ScaleDown pending) {
        return new CutoverStatus(phase, serving, message, since, cutover, lastCutover, pending, bake, guard);
    }

    public CutoverStatus withBake(Bake value) {
        return new CutoverStatus(phase, serving, message, since, cutover, lastCutover, scaleDown, value, guard);
    }

    public CutoverStatus withGuard(GuardVerdict value) {
        return new CutoverStatus(phase, serving, message, since, cutover, lastCutover, scaleDown, bake, value);
    }

    /** Time spent in the current phase, or zero when unknown. */
    public Duration inPhase(Instant now) {
        return since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
    }

    /** Whether writing {@code other} instead of this would change what a reader sees (ignores {@code since}). */
    public boolean sameAs(CutoverStatus other) {
        return other != null && phase == other.phase && Objects.equals(serving, other.serving)
                && message.equals(other.message) && Objects.equals(cutover, other.cutover)
                && Objects.equals(lastCutover, other.lastCutover) && Objects.equals(scaleDown, other.scaleDown)
                && Objects.equals(bake, other.bake) && Objects.equals(guard, other.guard);
    }
}
