package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A gateway's admin {@code GET /status} answer (and {@code GET /status?service=NAME}, which holds one service).
 * The gateway builds it and writes it with {@link StatusJson}; the controller reads it with the same mapper, which
 * ignores fields it does not know, so an older controller reads a newer gateway and the other way round.
 *
 * @param ready    the gateway has a routing snapshot and its listener is bound
 * @param mode     {@code standalone} or {@code kubernetes}
 * @param services per service name (Kubernetes mode: {@code <service>.<namespace>}), in routing order
 * @param tls      the HTTPS listener's provider and certificates; absent when there is no HTTPS listener
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusDocument(boolean ready, String mode, Map<String, ServiceStatus> services,
                             @JsonInclude(JsonInclude.Include.NON_NULL) TlsStatus tls) {

    public StatusDocument {
        services = services == null ? Map.of() : services;
    }

    /** Without an HTTPS listener. */
    public StatusDocument(boolean ready, String mode, Map<String, ServiceStatus> services) {
        this(ready, mode, services, null);
    }

    /** The named service's part, or null when the gateway does not route it. */
    public ServiceStatus service(String name) {
        return services.get(name);
    }
}
