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
 * @param scaleDown   a scale-down of the old color that is due after a confirmed cutover, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CutoverStatus(Phase phase, String serving, String message, Instant since, Cutover cutover,
                            LastCutover lastCutover, ScaleDown scaleDown) {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public CutoverStatus {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(message, "message");
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
        return new CutoverStatus(newPhase, newServing, newMessage, newSince, newCutover, lastCutover, scaleDown);
    }

    public CutoverStatus withLastCutover(LastCutover last, ScaleDown pending) {
        return new CutoverStatus(phase, serving, message, since, cutover, last, pending);
    }

    public CutoverStatus withScaleDown(ScaleDown pending) {
        return new CutoverStatus(phase, serving, message, since, cutover, lastCutover, pending);
    }

    /** Time spent in the current phase, or zero when unknown. */
    public Duration inPhase(Instant now) {
        return since == null || since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
    }

    /** Whether writing {@code other} instead of this would change what a reader sees (ignores {@code since}). */
    public boolean sameAs(CutoverStatus other) {
        return other != null && phase == other.phase && Objects.equals(serving, other.serving)
                && message.equals(other.message) && Objects.equals(cutover, other.cutover)
                && Objects.equals(lastCutover, other.lastCutover) && Objects.equals(scaleDown, other.scaleDown);
    }
}
