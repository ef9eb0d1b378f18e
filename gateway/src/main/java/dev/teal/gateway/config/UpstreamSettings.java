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
 * @param maxAttempts               endpoints of the same color a request may be sent to when connections cannot be
 *                                  opened, the first included (default 3; 1 = never another endpoint). A request is
 *                                  never retried once a byte of it went upstream
 */
public record UpstreamSettings(int maxConnectionsPerEndpoint, int ejectAfterFailures, Duration ejectionTime,
                               int maxEjectedPercent, int maxAttempts) {

    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final UpstreamSettings DEFAULTS = new UpstreamSettings(0, 3, Duration.ofSeconds(10), 50,
            DEFAULT_MAX_ATTEMPTS);

    /** Settings with the default {@code maxAttempts}. */
    public UpstreamSettings(int maxConnectionsPerEndpoint, int ejectAfterFailures, Duration ejectionTime,
                            int maxEjectedPercent) {
        this(maxConnectionsPerEndpoint, ejectAfterFailures, ejectionTime, maxEjectedPercent, DEFAULT_MAX_ATTEMPTS);
    }

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
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new ConfigException("maxAttempts must be within 1..10");
        }
    }
}
