package dev.teal.gateway.routing;

import java.time.Instant;

/** What a switch request came to. */
public sealed interface SwitchOutcome {

    /** The new snapshot is published: every request that starts from now on goes to {@code to}. */
    record Switched(String service, String from, String to, Instant switchedAt, long switches) implements SwitchOutcome {
    }

    record UnknownService(String service) implements SwitchOutcome {
    }

    record UnknownColor(String service, String color) implements SwitchOutcome {
    }

    /** The switch gate refused the target color (the reason says why) and the caller did not force it. */
    record NoHealthyEndpoint(String service, String color, String reason) implements SwitchOutcome {
    }

    /** The serving color is decided elsewhere (Kubernetes mode: the {@code teal.dev/serving} annotation). */
    record NotAllowed(String reason) implements SwitchOutcome {
    }
}
