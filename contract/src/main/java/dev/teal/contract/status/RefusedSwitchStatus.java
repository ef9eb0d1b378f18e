package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The last switch refused for a service (a file reload to a color no endpoint of which accepted a connection); shown
 * until the file changes again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RefusedSwitchStatus(String to, String reason, Instant at) {
}
