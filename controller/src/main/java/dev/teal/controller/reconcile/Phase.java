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
    Blocked
}
