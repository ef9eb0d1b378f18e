/**
 * The Netty handlers of the proxy path; they translate between the wire and the domain (routing, upstream, drain).
 *
 * <p>Where to start, in the order a request meets them:
 * <ol>
 *   <li>{@link dev.teal.gateway.proxy.ProxyInitializer}: the client pipeline (strict {@code ProxyRequestDecoder},
 *       {@code ProxyResponseEncoder}, the frontend).</li>
 *   <li>{@link dev.teal.gateway.proxy.FrontendHandler}: the client connection. It checks each request
 *       ({@link dev.teal.gateway.proxy.RequestChecks}), routes it when its head is decoded, takes an upstream
 *       connection on its own event loop, streams the body with backpressure (auto-read off; read more only when the
 *       other side is writable), answers pipelined requests in order, and owns how an exchange ends. What the
 *       connection waits for and until when is {@link dev.teal.gateway.proxy.ClientTimeouts} (an enum, one timer).</li>
 *   <li>{@link dev.teal.gateway.proxy.Exchange}: one request and its response; its state is an enum.</li>
 *   <li>{@link dev.teal.gateway.proxy.AttemptPolicy}: when a request goes to another endpoint
 *       ({@code upstream.maxAttempts}).</li>
 *   <li>{@link dev.teal.gateway.proxy.BackendHandler}: the upstream connection and the response side: it checks and
 *       rewrites the response head, writes the response to the client, and tells the frontend how it ended.
 *       {@link dev.teal.gateway.proxy.UpstreamInitializer} builds its pipeline.</li>
 *   <li>{@link dev.teal.gateway.proxy.AccessLog}: the one line per answered request.</li>
 * </ol>
 * {@link dev.teal.gateway.proxy.HeaderRules} holds what is forwarded and stripped; {@code FieldLineGuard} and
 * {@code ChunkLineGuard} what the decoders refuse. No handler looks another up by pipeline name: the frontend holds
 * its codecs, and finds an upstream channel's handler with {@code BackendHandler.of(channel)}.
 */
package dev.teal.gateway.proxy;
