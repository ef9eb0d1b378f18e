package dev.teal.gateway.config;

/**
 * What {@code /metrics} carries beyond the defaults. The defaults keep what the chart's dashboard and alerts use and
 * stay within about 1 KB of scrape per service; each option adds series per service (the README states the cost).
 * Read at start: a change takes effect after a restart. {@code GET /status} shows endpoints, their health and the
 * connections per color whatever is chosen here.
 *
 * @param endpointSeries     {@code teal_upstream_health{service,color,endpoint}}: one series per endpoint
 * @param connectionSeries   {@code teal_upstream_connections{service,color,state}}: two series per color
 * @param fineLatencyBuckets {@code teal_requests_seconds}: 15 buckets from 0.5 ms to 30 s instead of 5 from 5 ms to
 *                           2.5 s, and the {@code teal_requests_seconds_max} gauge
 */
public record MetricsSettings(boolean endpointSeries, boolean connectionSeries, boolean fineLatencyBuckets) {

    /** Every option off. */
    public static final MetricsSettings DEFAULTS = new MetricsSettings(false, false, false);
}
