package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * Graceful shutdown on SIGTERM.
 *
 * @param preStopDelay keep serving this long after SIGTERM with {@code /readyz} false, so that load balancers stop
 *                     sending new connections (default 0s)
 * @param timeout      then stop accepting and wait at most this long for in-flight requests (default 30s)
 */
public record ShutdownSettings(Duration preStopDelay, Duration timeout) {

    public static final ShutdownSettings DEFAULTS = new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(30));

    public ShutdownSettings {
        Objects.requireNonNull(preStopDelay, "preStopDelay");
        if (preStopDelay.isNegative()) {
            throw new ConfigException("preStopDelay must not be negative");
        }
        Timeouts.positive("timeout", timeout);
    }
}
