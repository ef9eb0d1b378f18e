/**
 * Load generators. {@link dev.teal.bench.load.Wrk} drives {@code wrk} (closed loop, for throughput) and
 * {@link dev.teal.bench.load.WrkOutput} reads its figures from the line our Lua {@code done()} prints (over https too).
 * {@link dev.teal.bench.load.H2load} drives {@code h2load} (nghttp2-client; HTTP/2 and TLS handshakes for {@code tls})
 * and {@link dev.teal.bench.load.H2loadOutput} reads its summary and per-request log.
 * {@link dev.teal.bench.load.OpenLoopClient} is the open-loop generator of {@code cutover} and {@code connections}: a
 * fixed set of HTTP/1.1 keep-alive connections fed by a fixed-rate {@link dev.teal.bench.load.Schedule}, every
 * latency taken from the request's intended send time (coordinated omission corrected), every answer kept in a
 * {@link dev.teal.bench.load.RequestLog} for the analysis.
 */
package dev.teal.bench.load;
