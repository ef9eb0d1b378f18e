/**
 * The systems under test, behind one interface: {@link dev.teal.bench.target.Target}. {@code direct} (no proxy: the
 * physical limit), {@code ceiling} ({@link dev.teal.bench.target.CeilingRelay}: a bare Netty relay, one epoll event
 * loop, no HTTP parsing: the limit of Teal's own stack; {@code compare} only), {@code teal} (the built gateway jar as
 * its own process), {@code nginx} and {@code haproxy} (the Debian packages, configured at their best: one
 * worker/thread, upstream keep-alive). Each is started from
 * {@link dev.teal.bench.target.Upstreams} by {@link dev.teal.bench.target.Targets#start} and switches colors its own
 * way ({@link dev.teal.bench.target.Target#switchTo}). {@link dev.teal.bench.target.Targets#startTls} starts Teal,
 * nginx or HAProxy terminating TLS (ALPN h2 and http/1.1) with a certificate {@link dev.teal.bench.target.TlsFiles}
 * makes, for the {@code tls} scenario.
 */
package dev.teal.bench.target;
