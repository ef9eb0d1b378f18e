package dev.teal.gateway.proxy;

import dev.teal.gateway.upstream.Endpoint;

/**
 * When a request goes to another endpoint of the same color: the connection could not be opened (refused, timed out,
 * or the per-endpoint limit reached) and nothing of the request has been sent yet, at most {@code maxAttempts}
 * endpoints in all ({@code upstream.maxAttempts}). A request whose first byte went upstream is never retried: the
 * upstream may have acted on it. (A pooled connection found closed when the head is written is opened again without
 * counting an attempt: the request never reached anyone.)
 */
public record AttemptPolicy(int maxAttempts) {
    /** Today's behaviour: the first endpoint and up to two others. */
    static final int DEFAULT_MAX_ATTEMPTS = dev.teal.gateway.config.UpstreamSettings.DEFAULT_MAX_ATTEMPTS;

    public AttemptPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /**
     * The endpoint for the next attempt, or null when the request may not be retried. Counts the attempt and moves
     * the exchange's endpoint (and its in-flight count) to the new one.
     */
    Endpoint retry(Exchange ex) {
        if (ex.bodySent || ++ex.attempts >= maxAttempts) {
            return null;
        }
        Endpoint next = ex.pool.pick(ex.endpoint);
        if (next == null) {
            return null;
        }
        next.requestStarted();
        ex.endpoint.requestEnded();
        ex.endpoint = next;
        return next;
    }
}
