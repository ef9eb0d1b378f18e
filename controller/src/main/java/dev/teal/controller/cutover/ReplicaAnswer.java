package dev.teal.controller.cutover;

import dev.teal.contract.HostPort;
import dev.teal.contract.status.WindowStatus;
import java.util.Map;

/**
 * What one gateway replica said about one service.
 *
 * @param error    why the replica could not be asked (unreachable, bad answer), else null
 * @param serving  the color it serves, or null when it does not know the service (or could not be asked)
 * @param draining the color it still drains, or null when no drain is in progress
 * @param windows  per color, the guard's window figures the replica reported (a service with a guard only)
 */
public record ReplicaAnswer(HostPort replica, String error, String serving, String draining,
                            Map<String, WindowStatus> windows) {

    public ReplicaAnswer {
        windows = windows == null ? Map.of() : Map.copyOf(windows);
    }

    /** An answer without guard figures. */
    public ReplicaAnswer(HostPort replica, String error, String serving, String draining) {
        this(replica, error, serving, draining, Map.of());
    }

    public static ReplicaAnswer failed(HostPort replica, String error) {
        return new ReplicaAnswer(replica, error, null, null);
    }

    public boolean reachable() {
        return error == null;
    }

    public boolean serves(String color) {
        return reachable() && color.equals(serving);
    }

    /** Serves {@code color} and drains nothing: the replica applied the cutover and finished it. */
    public boolean servesAndDrained(String color) {
        return serves(color) && draining == null;
    }

    /** A few words for the status message. */
    public String describe() {
        if (error != null) {
            return replica + " " + error;
        }
        if (serving == null) {
            return replica + " does not know the service yet";
        }
        return draining == null ? replica + " serves " + serving : replica + " serves " + serving + ", draining " + draining;
    }
}
