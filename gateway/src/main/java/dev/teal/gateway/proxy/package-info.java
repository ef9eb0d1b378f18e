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
 * HTTP/2, in the same order: {@link dev.teal.gateway.proxy.Http2PrefaceDetector} (with {@code http2.h2c}: h2c or
 * HTTP/1.1 on the plaintext listener) or ALPN {@code h2} call {@link dev.teal.gateway.proxy.Http2Frontend#install},
 * which builds the connection's pipeline: Netty's frame codec with the abuse limits,
 * {@link dev.teal.gateway.proxy.Http2ClientConnection} (count, idle close, GOAWAY), and per stream a child channel with
 * {@link dev.teal.gateway.proxy.Http2RequestAdapter} and a {@code FrontendHandler} for that one request (so a stream is
 * routed and limited like an HTTP/1.1 request). Upstream, a service with {@code protocol: h2c} takes a stream on the
 * loop's HTTP/2 connection to the endpoint ({@link dev.teal.gateway.proxy.Http2UpstreamInitializer},
 * {@link dev.teal.gateway.proxy.Http2ResponseAdapter}, a {@code BackendHandler} per stream).
 * {@link dev.teal.gateway.proxy.HeaderRules} holds what is forwarded and stripped; {@code FieldLineGuard} and
 * {@code ChunkLineGuard} what the decoders refuse. The HTTP/1.1 decoders ({@code ProxyRequestDecoder},
 * {@code UpstreamResponseDecoder}) keep a head's fields in {@code FlatHeaders} (two flat arrays in wire order, names
 * shared through {@code HeaderNames}), which the encoders ({@code UpstreamRequestEncoder}, {@code ProxyResponseEncoder})
 * write back without entry objects; HTTP/2 streams keep Netty's own headers. No handler looks another up by pipeline name: the frontend holds
 * its codecs, and finds an upstream channel's handler with {@code BackendHandler.of(channel)} once per exchange
 * ({@code Exchange.backend}); that handler holds the channel's {@code UpstreamConnection}.
 */
package dev.teal.gateway.proxy;
