package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import java.time.Duration;

/**
 * How the gateway treats upstream endpoints.
 *
 * @param maxConnectionsPerEndpoint connections per endpoint and event loop; 0 means unlimited. A request that
 *                                  finds the limit reached waits for no one: it goes to another endpoint or gets 503
 * @param ejectAfterFailures        consecutive connect failures or resets that eject an endpoint (default 3)
 * @param ejectionTime              how long an ejected endpoint is skipped (default 10s)
 * @param maxEjectedPercent         the largest share of a color's endpoints that may be ejected at once (default 50)
 */
public record UpstreamSettings(int maxConnectionsPerEndpoint, int ejectAfterFailures, Duration ejectionTime,
                               int maxEjectedPercent) {

    public static final UpstreamSettings DEFAULTS = new UpstreamSettings(0, 3, Duration.ofSeconds(10), 50);

    public UpstreamSettings {
        if (maxConnectionsPerEndpoint < 0) {
            throw new ConfigException("maxConnectionsPerEndpoint must be 0 (unlimited) or more");
        }
        if (ejectAfterFailures < 1) {
            throw new ConfigException("ejectAfterFailures must be at least 1");
        }
        Timeouts.positive("ejectionTime", ejectionTime);
        if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
            throw new ConfigException("maxEjectedPercent must be within 0..100");
        }
    }
}
