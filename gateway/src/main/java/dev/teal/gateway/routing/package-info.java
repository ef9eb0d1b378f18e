/**
 * Which pool a request goes to. A {@link dev.teal.gateway.routing.RoutingSnapshot} is immutable: the compiled
 * {@link dev.teal.gateway.routing.RouteTable} (host and path rules to a service, Ingress semantics, one lookup per
 * path element), and per service the color that serves. The {@link dev.teal.gateway.routing.Router} owns the snapshot
 * and every color's state; admin switches and reloads both pass its switch gate, warm the target's connections, and
 * publish a new snapshot in one volatile write; a request reads the snapshot once, when its request line has been
 * received, so every request that starts after a switch answer goes to the new color. Start at {@code Router}.
 *
 * <p>A service with preview or the version-sticky window on has a {@link dev.teal.gateway.routing.Steering}: it lets a
 * request name its color (preview header/cookie, the {@code teal-v} cookie during a drain), counts it on that color,
 * and says what the proxy strips before the request goes upstream ({@link dev.teal.gateway.routing.CookiePairs}).
 * {@link dev.teal.gateway.routing.RouteKind} is why a request went where it went.
 */
package dev.teal.gateway.routing;
