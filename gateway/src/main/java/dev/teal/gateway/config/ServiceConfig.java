package dev.teal.gateway.config;

import dev.teal.contract.BackendProtocol;
import dev.teal.contract.ConfigException;
import dev.teal.contract.HealthCheck;
import dev.teal.contract.HostPort;
import dev.teal.contract.Names;
import dev.teal.contract.Preview;
import dev.teal.contract.ServiceAnnotations;
import dev.teal.contract.guard.Guard;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One service: the hosts it answers, its colors with their endpoints, and which color serves.
 *
 * @param hosts        Host header matches ({@code path: /, pathType: Prefix}); empty (and named by no route) makes
 *                     this the default service
 * @param active       the color that serves
 * @param drainTimeout longest an old-color request or connection is waited for after a switch
 * @param maxBodySize  largest request body in bytes; 0 means unlimited (streamed)
 * @param maxInflight  largest number of requests in flight for the service; 0 means unlimited; over it: 503
 * @param healthCheck  active health check, or null for none (endpoints are healthy until passively ejected)
 * @param colors       endpoints per color, in the order written
 * @param protocol     how the gateway speaks to the endpoints: HTTP/1.1 (default) or h2c
 * @param preview      preview of the colors that do not serve (header/cookie names, who may), or null for off
 * @param sticky       the version-sticky window: cookie {@code teal-v} on answers; during a drain a request with the
 *                     old color's cookie goes to the old color until the drain deadline
 * @param guard        the cutover guard ({@code guard:}), or null for none
 */
public record ServiceConfig(String name, List<String> hosts, String active, Duration drainTimeout, long maxBodySize,
                            int maxInflight, HealthCheck healthCheck, Map<String, List<HostPort>> colors,
                            BackendProtocol protocol, Preview preview, boolean sticky, Guard guard) {

    /** A service without a guard. */
    public ServiceConfig(String name, List<String> hosts, String active, Duration drainTimeout, long maxBodySize,
                         int maxInflight, HealthCheck healthCheck, Map<String, List<HostPort>> colors,
                         BackendProtocol protocol, Preview preview, boolean sticky) {
        this(name, hosts, active, drainTimeout, maxBodySize, maxInflight, healthCheck, colors, protocol, preview,
                sticky, null);
    }

    /** A service whose endpoints speak HTTP/1.1, without preview and sticky, with a guard. */
    public ServiceConfig(String name, List<String> hosts, String active, Duration drainTimeout, long maxBodySize,
                         int maxInflight, HealthCheck healthCheck, Map<String, List<HostPort>> colors, Guard guard) {
        this(name, hosts, active, drainTimeout, maxBodySize, maxInflight, healthCheck, colors, BackendProtocol.HTTP,
                null, false, guard);
    }

    /**
     * The one pool of a service without colors (Kubernetes mode: a plain Service routed to its own endpoints). Not a
     * valid color name, so no file can configure it; it is the {@code color} label value of such a service's metrics.
     */
    public static final String NO_COLOR = "-";

    /** A Kubernetes-mode service: the settings its front Service's annotations give, with the colors the cluster gives. */
    public static ServiceConfig of(ServiceAnnotations settings, String key, List<String> hosts, String active,
                                   Duration drainTimeout, Map<String, List<HostPort>> colors) {
        return new ServiceConfig(key, hosts, active, drainTimeout, settings.maxBodySize(), settings.maxInflight(),
                settings.healthCheck(), colors, settings.protocol(), settings.preview(), settings.sticky(),
                settings.guard());
    }

    /** A service whose endpoints speak HTTP/1.1, without preview and sticky. */
    public ServiceConfig(String name, List<String> hosts, String active, Duration drainTimeout, long maxBodySize,
                         int maxInflight, HealthCheck healthCheck, Map<String, List<HostPort>> colors) {
        this(name, hosts, active, drainTimeout, maxBodySize, maxInflight, healthCheck, colors, BackendProtocol.HTTP,
                null, false);
    }

    /** Without preview and sticky. */
    public ServiceConfig(String name, List<String> hosts, String active, Duration drainTimeout, long maxBodySize,
                         int maxInflight, HealthCheck healthCheck, Map<String, List<HostPort>> colors,
                         BackendProtocol protocol) {
        this(name, hosts, active, drainTimeout, maxBodySize, maxInflight, healthCheck, colors, protocol, null, false);
    }

    /** A service whose endpoints speak HTTP/1.1. */
    public ServiceConfig(String name, List<String> hosts, String active, Duration drainTimeout, long maxBodySize,
                         int maxInflight, HealthCheck healthCheck, Map<String, List<HostPort>> colors,
                         Preview preview, boolean sticky) {
        this(name, hosts, active, drainTimeout, maxBodySize, maxInflight, healthCheck, colors, BackendProtocol.HTTP,
                preview, sticky);
    }

    public ServiceConfig {
        Names.service(name);
        hosts = List.copyOf(hosts);
        hosts.forEach(Names::host);
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(protocol, "protocol");
        if (drainTimeout.isNegative()) {
            throw new ConfigException("drainTimeout must not be negative");
        }
        if (maxBodySize < 0 || maxInflight < 0) {
            throw new ConfigException("maxBodySize and maxInflight must be 0 (unlimited) or more");
        }
        if (colors == null || colors.isEmpty()) {
            throw new ConfigException("colors: at least one color is needed");
        }
        Map<String, List<HostPort>> copy = new LinkedHashMap<>();
        colors.forEach((color, endpoints) -> copy.put(NO_COLOR.equals(color) ? color : Names.color(color),
                List.copyOf(endpoints)));
        colors = java.util.Collections.unmodifiableMap(copy);
        if (!colors.containsKey(active)) {
            throw new ConfigException("active: '" + active + "' is not one of the colors " + colors.keySet());
        }
    }

    /** A copy with another serving color (used by Kubernetes mode and the demo). */
    public ServiceConfig withActive(String color) {
        return new ServiceConfig(name, hosts, color, drainTimeout, maxBodySize, maxInflight, healthCheck, colors,
                protocol, preview, sticky, guard);
    }

    public boolean isDefault() {
        return hosts.isEmpty();
    }
}
