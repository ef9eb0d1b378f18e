package dev.teal.gateway.config;

import java.util.List;

/**
 * The outcome of one reload (file watcher, SIGHUP or {@code POST /reload}).
 *
 * @param outcome applied, rejected (the running configuration is kept), or not reloadable (nothing to re-read)
 * @param changed the keys that changed (see {@link ConfigDiff}); empty when nothing changed or nothing was applied
 * @param errors  why it was refused, one entry per error; empty when applied
 * @param notes   what the caller should know (restart-only keys that changed and were kept as they are)
 */
public record ReloadResult(Outcome outcome, List<String> changed, List<String> errors, List<String> notes) {

    /** How a reload ended. */
    public enum Outcome { APPLIED, REJECTED, NOT_RELOADABLE }

    public ReloadResult {
        changed = List.copyOf(changed);
        errors = List.copyOf(errors);
        notes = List.copyOf(notes);
    }

    public static ReloadResult applied(List<String> changed, List<String> notes) {
        return new ReloadResult(Outcome.APPLIED, changed, List.of(), notes);
    }

    public static ReloadResult rejected(String error) {
        return new ReloadResult(Outcome.REJECTED, List.of(), List.of(error), List.of());
    }

    public static ReloadResult notReloadable(String reason) {
        return new ReloadResult(Outcome.NOT_RELOADABLE, List.of(), List.of(reason), List.of());
    }

    public boolean applied() {
        return outcome == Outcome.APPLIED;
    }
}
