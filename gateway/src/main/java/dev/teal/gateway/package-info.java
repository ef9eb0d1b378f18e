/**
 * Teal's gateway. {@link dev.teal.gateway.Main} parses the command line; {@link dev.teal.gateway.Gateway} wires the
 * pieces (listener, proxy, upstream pools, routing, drain, admin, metrics) and applies configurations. Read
 * {@code Gateway} first, then {@code routing.Router} and {@code proxy.FrontendHandler}.
 */
package dev.teal.gateway;
