/**
 * Draining the color that stopped serving. A {@link dev.teal.gateway.drain.DrainTracker} per service starts a
 * {@link dev.teal.gateway.drain.Drain} at each switch: it ends when the old color has no request in flight, or at the
 * drain timeout, when the old color's remaining connections are closed and counted. A switch never waits for it.
 */
package dev.teal.gateway.drain;
