/**
 * Upstream endpoints and their connections.
 *
 * <p>A {@link dev.teal.gateway.upstream.ColorPool} is one color of one service: its
 * {@link dev.teal.gateway.upstream.Endpoint}s, their health, in-flight counts and meters. Connections are kept per
 * event loop in a {@link dev.teal.gateway.upstream.LoopConnectionPool} so the request path takes no lock: a client
 * connection only ever uses upstream connections on its own event loop. Start reading at {@code ColorPool}.
 * {@link dev.teal.gateway.upstream.HealthChecker} probes endpoints actively; passive ejection lives in
 * {@code Endpoint}.
 */
package dev.teal.gateway.upstream;
