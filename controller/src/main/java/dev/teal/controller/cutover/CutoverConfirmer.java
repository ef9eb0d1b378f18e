package dev.teal.controller.cutover;

import dev.teal.gateway.config.HostPort;
import java.util.List;

/** Finds the gateway replicas and asks each whether it applied and finished a cutover. */
public final class CutoverConfirmer {
    private final GatewayReplicas replicas;
    private final ReplicaProbe probe;

    public CutoverConfirmer(GatewayReplicas replicas, ReplicaProbe probe) {
        this.replicas = replicas;
        this.probe = probe;
    }

    public Confirmation confirm(String serviceKey, String target, boolean drainTimeoutPassed) {
        List<HostPort> found = replicas.find();
        return Confirmation.of(probe.ask(found, serviceKey), target, drainTimeoutPassed, replicas.source());
    }
}
