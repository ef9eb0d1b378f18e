package dev.teal.contract;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health check of every endpoint of a service: {@code GET path}; a 2xx or 3xx answer within {@code timeout}
 * is a success.
 *
 * @param unhealthyThreshold consecutive failures that mark an endpoint unhealthy (default 2)
 * @param healthyThreshold   consecutive successes that mark it healthy again (default 1)
 */
public record HealthCheck(String path, Duration interval, Duration timeout, int unhealthyThreshold,
                          int healthyThreshold) {

    public static HealthCheck defaults(String path) {
        return new HealthCheck(path, Defaults.HEALTH_INTERVAL, Defaults.HEALTH_TIMEOUT, Defaults.HEALTH_UNHEALTHY_THRESHOLD,
                Defaults.HEALTH_HEALTHY_THRESHOLD);
    }

    public HealthCheck {
        if (path == null || !path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new ConfigException("healthCheck.path must start with '/' and contain no spaces or control characters");
        }
        positive("healthCheck.interval", interval);
        positive("healthCheck.timeout", timeout);
        if (unhealthyThreshold < 1 || healthyThreshold < 1) {
            throw new ConfigException("healthCheck thresholds must be at least 1");
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(name + " must be greater than 0");
        }
    }
}
