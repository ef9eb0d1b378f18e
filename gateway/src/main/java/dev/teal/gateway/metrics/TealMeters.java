package dev.teal.gateway.metrics;

import java.time.Duration;

/**
 * Every meter the gateway exports. Micrometer names are dot-separated; the Prometheus registry turns
 * {@code teal.requests} (a timer) into {@code teal_requests_seconds} and {@code teal.cutovers} (a counter) into
 * {@code teal_cutovers_total}: those exported names are fixed by the contract.
 */
public final class TealMeters {
    public static final String REQUESTS = "teal.requests";
    public static final String REQUESTS_HELP = "Requests proxied, by service, color and status class, in seconds from request start to last response byte";
    public static final String INFLIGHT = "teal.inflight.requests";
    public static final String INFLIGHT_HELP = "Requests in flight (including upgraded connections), by service and color";
    public static final String SERVING = "teal.serving.color";
    public static final String SERVING_HELP = "1 for the color that serves the service, 0 for the others";
    public static final String CUTOVERS = "teal.cutovers";
    public static final String CUTOVERS_HELP = "Cutovers by outcome: drained, drain_timeout, superseded (switched again before the drain ended), refused (409), rolled_back (the guard switched back)";
    public static final String DRAIN = "teal.cutover.drain";
    public static final String DRAIN_HELP = "Time from a switch to the end of the old color's drain";
    public static final String UPSTREAM_CONNECTIONS = "teal.upstream.connections";
    public static final String UPSTREAM_CONNECTIONS_HELP = "Open upstream connections by service, color and state (active, idle)";
    public static final String UPSTREAM_ERRORS = "teal.upstream.errors";
    public static final String UPSTREAM_ERRORS_HELP = "Upstream failures by kind: connect, reset, timeout";
    public static final String PREVIEW_REQUESTS = "teal.preview.requests";
    public static final String PREVIEW_REQUESTS_HELP = "Previewed requests (a header or cookie named a color that does not serve), by service, color and status class; not in teal_requests_seconds";
    public static final String STICKY_REQUESTS = "teal.sticky.requests";
    public static final String STICKY_REQUESTS_HELP = "Requests the version-sticky window sent to the old color of a drain (cookie teal-v), by service and color";
    public static final String UPSTREAM_HEALTH = "teal.upstream.health";
    public static final String UPSTREAM_HEALTH_HELP = "1 when an endpoint can take requests (healthy and not ejected), else 0";
    public static final String CONFIG_RELOADS = "teal.config.reloads";
    public static final String CONFIG_RELOADS_HELP = "Configuration reloads by result: applied, rejected";
    public static final String CLIENT_CONNECTIONS = "teal.client.connections";
    public static final String CLIENT_CONNECTIONS_HELP = "Open client connections";
    public static final String REJECTED = "teal.rejected.requests";
    public static final String BUILD_INFO = "teal.build.info";
    public static final String BUILD_INFO_HELP = "Always 1; the labels say which build runs: version, git revision, Java version";
    public static final String REJECTED_HELP = "Requests answered by the gateway itself, by reason (bad_request, too_large, no_route, overloaded, timeout, preview)";

    public static final String DISCOVERY_APPLY = "teal.discovery.apply";
    public static final String DISCOVERY_APPLY_HELP = "Cluster mode: time to rebuild the routing from the watched objects and apply it, once per batch of changes";
    public static final String DISCOVERY_QUEUE = "teal.discovery.queue";
    public static final String DISCOVERY_QUEUE_HELP = "Cluster mode: time a change waited before the rebuild that applies it started (from the first change of each batch)";
    public static final String DISCOVERY_PENDING = "teal.discovery.pending.changes";
    public static final String DISCOVERY_PENDING_HELP = "Cluster mode: changes to watched objects received and not yet taken up by a rebuild";
    public static final String DISCOVERY_CHANGES = "teal.discovery.changes";
    public static final String DISCOVERY_CHANGES_HELP = "Cluster mode: changes to watched objects (Ingresses, Services, EndpointSlices) received";

    /** Histogram buckets for discovery's apply time and queue delay: 1 ms to 10 s. */
    public static final Duration[] DISCOVERY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10)};

    /**
     * Histogram buckets for request latency by default: 5 ms to 2.5 s, enough for the dashboard's p99 and cheap to
     * scrape (6 series with +Inf per service, color and status class that has seen a request).
     */
    public static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofMillis(2500)};

    /** Histogram buckets for request latency with {@code metrics.fineLatencyBuckets}: 0.5 ms to 30 s. */
    public static final Duration[] FINE_LATENCY_BUCKETS = {
            Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** Histogram buckets for drain duration: 10 ms to 10 min. */
    public static final Duration[] DRAIN_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10)};

    private TealMeters() {
    }
}
