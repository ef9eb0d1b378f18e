package dev.teal.gateway.routing;

/** Why a request goes to the color it goes to; the access log's {@code route} and the metrics that count it. */
public enum RouteKind {
    /** The serving color, as the routing snapshot says. */
    SERVING("serving"),
    /** The color the request named in the preview header or cookie ({@code teal_preview_requests_total}). */
    PREVIEW("preview"),
    /** The old color of a drain, named by the request's {@code teal-v} cookie ({@code teal_sticky_requests_total}). */
    STICKY("sticky");

    private final String label;

    RouteKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
