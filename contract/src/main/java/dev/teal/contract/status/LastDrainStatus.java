package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The last drain that ended.
 *
 * @param result {@code drained} (nothing left in flight), {@code drain_timeout} (what was left was closed) or
 *               {@code superseded} (another switch began)
 * @param closed connections closed at the deadline
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LastDrainStatus(String color, String result, Instant startedAt, Instant endedAt, int closed) {
}
