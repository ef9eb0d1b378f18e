/**
 * Upstreams the proxies forward to. {@link dev.teal.bench.backend.StaticBackend} is an nginx serving fixed bodies
 * (fast enough never to be the bottleneck in {@code compare}); {@link dev.teal.bench.backend.ColorBackend} is a Netty
 * server that tags every answer with its color (header {@code X-Color} and body), can delay ({@code /slow?ms=N}) and
 * echoes WebSockets ({@code /ws}), used by {@code cutover}, {@code drain} and {@code connections}. It runs as its own
 * process ({@link dev.teal.bench.backend.ColorBackendMain}) so that it can be pinned beside the proxy.
 */
package dev.teal.bench.backend;
