package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import dev.teal.contract.HostPort;
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
 * @param routes          host and path rules to services, and the default service
 * @param metrics         optional {@code /metrics} series (per endpoint, fine latency buckets); read at start
 * @param http2           HTTP/2 from clients: h2c on the plaintext listener, and the per-connection abuse limits
 * @param tls             the HTTPS listener and its certificates; null: no HTTPS listener
 */
public record GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                            Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                            List<Cidr> trustedProxies, Map<String, ServiceConfig> services, Routes routes,
                            MetricsSettings metrics, Http2Config http2, TlsSettings tls) {

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(shutdown, "shutdown");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(http2, "http2");
        trustedProxies = List.copyOf(trustedProxies);
        if (workers < 0 || workers > 256) {
            throw new ConfigException("workers must be within 0..256 (0 = one per core)");
        }
        if (listen.port() != 0 && listen.equals(admin)) {
            throw new ConfigException("admin must not be the proxy listener (" + listen + ")");
        }
        if (tls != null && tls.listen().port() != 0 && (tls.listen().equals(listen) || tls.listen().equals(admin))) {
            throw new ConfigException("tls.listen must differ from listen and admin (" + tls.listen() + ")");
        }
        services = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(services));
        Objects.requireNonNull(routes, "routes");
        for (RouteRule r : routes.rules()) {
            if (!services.containsKey(r.service())) {
                throw new ConfigException("route " + r + ": no service '" + r.service() + "'");
            }
        }
        if (routes.defaultService() != null && !services.containsKey(routes.defaultService())) {
            throw new ConfigException("default service '" + routes.defaultService() + "' is not a service");
        }
    }

    /** With the default {@link Http2Config}. */
    public GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                         Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                         List<Cidr> trustedProxies, Map<String, ServiceConfig> services, Routes routes,
                         MetricsSettings metrics) {
        this(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown, trustedProxies, services,
                routes, metrics, Http2Config.DEFAULTS, null);
    }

    /** Without an HTTPS listener. */
    public GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                         Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                         List<Cidr> trustedProxies, Map<String, ServiceConfig> services, Routes routes,
                         MetricsSettings metrics, Http2Config http2) {
        this(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown, trustedProxies, services,
                routes, metrics, http2, null);
    }

    /** With the default {@link Http2Config}. */
    public GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                         Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                         List<Cidr> trustedProxies, Map<String, ServiceConfig> services, Routes routes,
                         MetricsSettings metrics, TlsSettings tls) {
        this(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown, trustedProxies, services,
                routes, metrics, Http2Config.DEFAULTS, tls);
    }

    /** Routes from the services' {@code hosts} only (see {@link Routes#of}), the default {@link MetricsSettings}. */
    public GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                         Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                         List<Cidr> trustedProxies, Map<String, ServiceConfig> services) {
        this(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown, trustedProxies, services,
                Routes.of(services, List.of()), MetricsSettings.DEFAULTS, Http2Config.DEFAULTS, null);
    }

    /** With explicit routes and the default {@link MetricsSettings}. */
    public GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                         Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                         List<Cidr> trustedProxies, Map<String, ServiceConfig> services, Routes routes) {
        this(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown, trustedProxies, services,
                routes, MetricsSettings.DEFAULTS, Http2Config.DEFAULTS, null);
    }

    /** Routes from the services' {@code hosts} only, with the given {@link MetricsSettings}. */
    public GatewayConfig(HostPort listen, HostPort admin, int workers, boolean accessLog, Timeouts timeouts,
                         Limits limits, UpstreamSettings upstream, ShutdownSettings shutdown,
                         List<Cidr> trustedProxies, Map<String, ServiceConfig> services, MetricsSettings metrics) {
        this(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown, trustedProxies, services,
                Routes.of(services, List.of()), metrics, Http2Config.DEFAULTS, null);
    }

    /** The same settings with other services (Kubernetes mode swaps services only). */
    public GatewayConfig withServices(Map<String, ServiceConfig> newServices) {
        return new GatewayConfig(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown,
                trustedProxies, newServices, Routes.of(newServices, List.of()), metrics, http2, tls);
    }

    /** The same settings with other services and routes (Kubernetes mode). */
    public GatewayConfig withRouting(Map<String, ServiceConfig> newServices, Routes newRoutes) {
        return new GatewayConfig(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown,
                trustedProxies, newServices, newRoutes, metrics, http2, tls);
    }

    /**
     * The services to visit for a change that touched {@code touched} (names; unknown ones skipped), or all of them
     * when {@code touched} is null.
     */
    public java.util.Collection<ServiceConfig> services(java.util.Collection<String> touched) {
        return touched == null ? services.values()
                : touched.stream().map(services::get).filter(java.util.Objects::nonNull).toList();
    }

    /** The same settings with another HTTPS listener (null: none). */
    public GatewayConfig withTls(TlsSettings newTls) {
        return new GatewayConfig(listen, admin, workers, accessLog, timeouts, limits, upstream, shutdown,
                trustedProxies, services, routes, metrics, http2, newTls);
    }

    /** The effective number of event-loop threads. */
    public int eventLoopThreads() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
