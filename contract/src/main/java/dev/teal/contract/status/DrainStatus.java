package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The drain of an old color in progress.
 *
 * @param inflight    requests still in flight on the old color
 * @param connections upstream connections to it still open
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DrainStatus(String color, Instant startedAt, Instant deadline, int inflight, int connections) {
}
