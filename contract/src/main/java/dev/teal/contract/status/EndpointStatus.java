package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One endpoint of a color in {@code /status}.
 *
 * @param address  {@code host:port}
 * @param healthy  the active health check (or, without one, the passive checks) finds it healthy
 * @param ejected  passively ejected after consecutive failures
 * @param inflight requests in flight on it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EndpointStatus(String address, boolean healthy, boolean ejected, int inflight) {

    /** Healthy and not ejected. */
    public boolean usable() {
        return healthy && !ejected;
    }
}
