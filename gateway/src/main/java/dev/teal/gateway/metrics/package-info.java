/**
 * Meter names and the Micrometer registry. {@link dev.teal.gateway.metrics.TealMeters} holds every name in one place
 * (they are the Prometheus contract); {@link dev.teal.gateway.metrics.GatewayMetrics} owns the registry, the JVM and
 * Netty binders, and hands out pre-built meters so the request path never looks a meter up;
 * {@link dev.teal.gateway.metrics.CachedNamingConvention} keeps the registration of per-service meters cheap at
 * thousands of services.
 */
package dev.teal.gateway.metrics;
