/**
 * The hardening corpus run against Teal, nginx and HAProxy side by side: {@link dev.teal.bench.corpus.CorpusComparison}
 * starts the three proxies as child processes on 127.0.0.1, each in front of its own counting backend, and prints
 * for every input or upstream fault what the client saw (status, closed or open) and whether the backend received
 * the request. The corpus itself lives with the gateway's tests ({@code dev.teal.gateway.hardening}).
 */
package dev.teal.bench.corpus;
