/**
 * The controller's own metrics and its small HTTP listener ({@code /metrics}, {@code /healthz}, {@code /readyz}).
 *
 * <p>{@link dev.teal.controller.metrics.ControllerMetrics} holds every meter (names in one place, each with a
 * description); {@link dev.teal.controller.metrics.MetricsServer} serves them in Prometheus text format.
 */
package dev.teal.controller.metrics;
