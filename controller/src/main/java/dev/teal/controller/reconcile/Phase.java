package dev.teal.controller.reconcile;

/** Where a front Service stands, as written in {@code teal.dev/status}. */
public enum Phase {
    /** {@code teal.dev/serving} is confirmed on every gateway replica and the cluster agrees. */
    Active,
    /** A cutover waits until the target color has {@code min-ready} ready endpoints. */
    Waiting,
    /** {@code teal.dev/serving} was written; not every gateway replica serves the target yet. */
    Switching,
    /** Every replica serves the target; at least one still drains the old color. */
    Draining,
    /** An annotation cannot be parsed; nothing is changed until it is fixed. */
    Blocked,
    /**
     * Confirmed on every replica; the front Service's guard ({@code teal.dev/guard}) watches the new color until the
     * bake ends (the old color is not scaled down before).
     */
    Baking,
    /**
     * The guard found the new color breaching its limits and switched back: {@code teal.dev/serving} is the previous
     * color, {@code teal.dev/active} still names the rejected one. Stays so until the user sets {@code teal.dev/active}
     * to the serving color (accepting the rollback), to another color, or changes {@code teal.dev/retry} (retrying).
     */
    RolledBack
}
