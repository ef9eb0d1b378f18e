/**
 * Draining the color that stopped serving. A {@link dev.teal.gateway.drain.DrainTracker} per service starts a
 * {@link dev.teal.gateway.drain.Drain} at each switch: it ends when the old color has no request in flight (the last
 * request's end signals it; nothing polls), but never before every event loop has run a task after the switch was
 * published, or at the drain timeout, when the old color's remaining connections are closed and counted. A switch
 * never waits for it.
 */
package dev.teal.gateway.drain;
