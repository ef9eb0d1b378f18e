/**
 * The Netty handlers of the proxy path; they translate between the wire and the domain (routing, upstream, drain).
 *
 * <p>Read {@link dev.teal.gateway.proxy.FrontendHandler} first: one per client connection, it routes each request when
 * its request line has been decoded, takes an upstream connection on its own event loop, and streams the body with
 * backpressure (auto-read off; read more only when the other side is writable).
 * {@link dev.teal.gateway.proxy.BackendHandler} is its partner on the upstream connection.
 * {@link dev.teal.gateway.proxy.Exchange} is the state of one request. {@link dev.teal.gateway.proxy.HeaderRules} and
 * {@link dev.teal.gateway.proxy.RequestChecks} hold what is forwarded, stripped or refused.
 */
package dev.teal.gateway.proxy;
