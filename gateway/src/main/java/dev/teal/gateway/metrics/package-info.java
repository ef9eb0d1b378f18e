/**
 * Meter names and the Micrometer registry. {@link dev.teal.gateway.metrics.TealMeters} holds every name in one place
 * (they are the Prometheus contract); {@link dev.teal.gateway.metrics.GatewayMetrics} owns the registry, the JVM and
 * Netty binders, and hands out pre-built meters so the request path never looks a meter up.
 */
package dev.teal.gateway.metrics;
