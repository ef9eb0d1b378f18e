package dev.teal.contract;

/**
 * Every {@code teal.dev/*} annotation and label name, and the Kubernetes names gateway and controller read with
 * them. The README's annotation table lists the same names with their owner and meaning.
 */
public final class Annotations {
    public static final String PREFIX = "teal.dev/";

    /** The color the user wants (written by the user; gateways never route by it). */
    public static final String ACTIVE = PREFIX + "active";
    /** The color gateways route to (written by the controller only). */
    public static final String SERVING = PREFIX + "serving";
    /** The controller's short JSON status. */
    public static final String STATUS = PREFIX + "status";
    /** The pod label that holds the color (default {@value Defaults#COLOR_LABEL}). */
    public static final String COLOR_LABEL = PREFIX + "color-label";
    /** Ready endpoints the target color needs before the switch (default 1). */
    public static final String MIN_READY = PREFIX + "min-ready";
    /** Longest an old-color request or connection is waited for (default {@link Defaults#DRAIN_TIMEOUT}). */
    public static final String DRAIN_TIMEOUT = PREFIX + "drain-timeout";
    /** After a confirmed cutover, scale the old color's Deployments to 0 after this delay (absent: never). */
    public static final String SCALE_DOWN_DELAY = PREFIX + "scale-down-delay";

    /** Active health checks of every endpoint: {@code GET path}, 2xx/3xx healthy. */
    public static final String HEALTH_PATH = PREFIX + "health-path";
    public static final String HEALTH_INTERVAL = PREFIX + "health-interval";
    public static final String HEALTH_TIMEOUT = PREFIX + "health-timeout";
    public static final String HEALTH_UNHEALTHY_THRESHOLD = PREFIX + "health-unhealthy-threshold";
    public static final String HEALTH_HEALTHY_THRESHOLD = PREFIX + "health-healthy-threshold";
    /** Largest request body (0: unlimited). */
    public static final String MAX_BODY_SIZE = PREFIX + "max-body-size";
    /** Requests in flight for the service (0: unlimited). */
    public static final String MAX_INFLIGHT = PREFIX + "max-inflight";
    /** {@code "true"}: a request may ask for a color by header or cookie (preview); off by default. */
    public static final String PREVIEW = PREFIX + "preview";
    /** The request header that names the color to preview (default {@value Preview#DEFAULT_HEADER}). */
    public static final String PREVIEW_HEADER = PREFIX + "preview-header";
    /** The cookie that names the color to preview (default {@value Preview#DEFAULT_COOKIE}). */
    public static final String PREVIEW_COOKIE = PREFIX + "preview-cookie";
    /** Comma-separated CIDRs (or {@code trustedProxies}) a preview request must come from (absent: anyone). */
    public static final String PREVIEW_FROM = PREFIX + "preview-from";
    /** {@code "true"}: the version-sticky window (cookie {@code teal-v}); off by default. */
    public static final String STICKY = PREFIX + "sticky";
    /** How the gateway speaks to the endpoints: {@code http} (HTTP/1.1, the default) or {@code h2c} (gRPC). */
    public static final String BACKEND_PROTOCOL = PREFIX + "backend-protocol";

    /**
     * A guard on cutovers ({@code errors<1%, p99<500ms, window=30s, bake=2m, min-requests=200}; see
     * {@code dev.teal.contract.guard.Guard}): after a switch the controller judges the new color on every gateway
     * replica's figures and switches back on a breach.
     */
    public static final String GUARD = PREFIX + "guard";
    /**
     * Retries a cutover the guard rolled back: any value different from the one the rollback recorded (e.g. a
     * timestamp) starts the cutover to {@code teal.dev/active} again.
     */
    public static final String RETRY = PREFIX + "retry";

    /**
     * On an Ingress: {@code "true"} answers plain-HTTP requests for its hosts with {@code 308} to {@code https://}
     * (the gateway's HTTPS listener); {@code "false"} or absent: no redirect. Another value is reported and ignored.
     */
    public static final String SSL_REDIRECT = PREFIX + "ssl-redirect";

    /** Label set on the front Service and its Ingresses once a color is confirmed. */
    public static final String ACTIVE_COLOR_LABEL = PREFIX + "active-color";

    /** Labels on every per-color Service the controller keeps: its front Service, and its color. */
    public static final String SERVICE_FRONT_LABEL = PREFIX + "front";
    public static final String SERVICE_COLOR_LABEL = PREFIX + "color";

    /** Label EndpointSlices carry with the name of their Service (Kubernetes). */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    /** On an IngressClass: Ingresses without a class belong to it (Kubernetes). */
    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

    private Annotations() {
    }
}
