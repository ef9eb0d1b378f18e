/**
 * The four scenarios, one class each: {@link dev.teal.bench.scenario.CompareScenario} (wrk throughput and latency,
 * Teal against direct, nginx and HAProxy), {@link dev.teal.bench.scenario.CutoverScenario} (open-loop load while
 * switching, against each target's own way to switch), {@link dev.teal.bench.scenario.DrainScenario} (long requests
 * and WebSockets across a switch) and {@link dev.teal.bench.scenario.ConnectionsScenario} (many idle connections);
 * besides them {@link dev.teal.bench.scenario.TlsScenario} (TLS termination and HTTP/2 from clients: h2 requests/s,
 * handshakes/s and HTTPS keep-alive, Teal against nginx and HAProxy), and
 * {@link dev.teal.bench.scenario.ScaleScenario} (N Services in cluster mode against the fabric8 mock API server, made
 * to take 100 writes a second by {@link dev.teal.bench.scenario.IndexedCrudDispatcher}; the gateway's start phases read
 * from its log by {@link dev.teal.bench.scenario.StartPhases}).
 * Each takes a {@link dev.teal.bench.scenario.RunContext} and returns its result record, which
 * {@link dev.teal.bench.report} writes as JSON and renders.
 */
package dev.teal.bench.scenario;
