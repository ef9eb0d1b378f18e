package dev.teal.gateway.routing;

import dev.teal.gateway.upstream.ColorPool;
import java.time.Instant;

/** A service as one snapshot sees it: the runtime, and the pool of the color that serves since {@code since}. */
public record ServiceRoute(ServiceRuntime service, ColorPool serving, Instant since) {
}
