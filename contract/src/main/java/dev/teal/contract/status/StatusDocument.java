package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * A gateway's admin {@code GET /status} answer (and {@code GET /status?service=NAME}, which holds one service).
 * The gateway builds it and writes it with {@link StatusJson}; the controller reads it with the same mapper, which
 * ignores fields it does not know, so an older controller reads a newer gateway and the other way round.
 *
 * @param ready    the gateway has a routing snapshot and its listener is bound
 * @param mode     {@code standalone} or {@code kubernetes}
 * @param services per service name (Kubernetes mode: {@code <service>.<namespace>}), in routing order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusDocument(boolean ready, String mode, Map<String, ServiceStatus> services) {

    public StatusDocument {
        services = services == null ? Map.of() : services;
    }

    /** The named service's part, or null when the gateway does not route it. */
    public ServiceStatus service(String name) {
        return services.get(name);
    }
}
