package dev.teal.controller.cutover;

import dev.teal.contract.HostPort;
import java.time.Duration;
import java.util.List;

/**
 * Finds the gateway replicas and asks each whether it applied and finished a cutover, and, before a switch to a
 * color whose front Service sets {@code teal.dev/health-path}, whether its health checks find that color usable.
 */
public final class CutoverConfirmer {
    private final GatewayReplicas replicas;
    private final ReplicaProbe probe;
    private final HealthGate health;

    public CutoverConfirmer(GatewayReplicas replicas, ReplicaProbe probe) {
        this.replicas = replicas;
        this.probe = probe;
        this.health = new HealthGate(replicas, Duration.ofSeconds(2));
    }

    public Confirmation confirm(String serviceKey, String target, boolean drainTimeoutPassed) {
        List<HostPort> found = replicas.find();
        return Confirmation.of(probe.ask(found, serviceKey), target, drainTimeoutPassed, replicas.source());
    }

    /** The window figures of {@code color}, summed and merged across every replica (see {@link GuardFigures}). */
    public GuardFigures guardFigures(String serviceKey, String color) {
        return GuardFigures.of(probe.ask(replicas.find(), serviceKey), color);
    }

    /** The health gate (see {@link HealthGate}): every replica finds {@code needed} usable endpoints of the color. */
    public HealthGate.Result healthy(String serviceKey, String color, int needed) {
        return health.check(serviceKey, color, needed);
    }
}
