package dev.teal.gateway.routing;

import java.time.Instant;

/** A switch that a reload asked for and the switch gate refused: the running color kept serving. */
public record RefusedSwitch(String to, String reason, Instant at) {
}
