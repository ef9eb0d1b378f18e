package dev.teal.gateway.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The whole gateway configuration: listeners, process-wide settings and services. Immutable; a reload builds a new
 * one and the gateway applies the difference.
 *
 * @param workers         event-loop threads; 0 means one per available core
 * @param accessLog       one log line per request (service, color, endpoint, status, duration)
 * @param trustedProxies  CIDRs whose {@code X-Forwarded-*} headers are kept and appended to; from anyone else they
 *                        are replaced
 * @param metrics         optional {@code /metrics} series (per endpoint, fine latency buckets); read at start
 */
public record GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                            Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                            List<Cidr> trustedProxies, Map<String, ServiceConfig> services,
                            MetricsSettings metrics) {

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(metrics, "metrics");
        trustedProxies = List.copyOf(trustedProxies);
        if (workers < 0 || workers > 256) {
            throw new ConfigException("workers must be within 0..256 (0 = one per core)");
        }
        if (listen.port() != 0 && listen.equals(admin)) {
            throw new ConfigException("admin must not be the proxy listener (" + listen + ")");
        }
        services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        Map<String, String> hostOwner = new HashMap<>();
        List<String> defaults = new ArrayList<>();
        for (ServiceConfig s : services.values()) {
            if (s.isDefault()) {
                defaults.add(s.name());
            }
            for (String h : s.hosts()) {
                String other = hostOwner.putIfAbsent(h, s.name());
                if (other != null) {
                    throw new ConfigException("host '" + h + "' belongs to both '" + other + "' and '" + s.name() + "'");
                }
            }
        }
        if (defaults.size() > 1) {
            throw new ConfigException("only one service may have no hosts (the default); found " + defaults);
        }
    }

    /** With the default {@link MetricsSettings}. */
    public GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                         Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                         List<Cidr> trustedProxies, Map<String, ServiceConfig> services) {
        this(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown, trustedProxies, services,
                MetricsSettings.DEFAULTS);
    }

    /** The same settings with other services (Kubernetes mode swaps services only). */
    public GatewayConfig withServices(Map<String, ServiceConfig> newServices) {
        return new GatewayConfig(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown,
                trustedProxies, newServices, metrics);
    }

    /** The effective number of event-loop threads. */
    public int eventLoopThreads() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
