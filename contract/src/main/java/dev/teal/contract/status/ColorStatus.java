package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One color of a service in {@code /status}.
 *
 * @param state       the color's state ({@code serving}, {@code draining}, {@code idle}, ...), lower case
 * @param inflight    requests in flight on the color
 * @param endpoints   its endpoints, in the order configured
 * @param connections open upstream connections to it
 * @param window      the guard's window figures of this color; only for a service with a guard, else absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ColorStatus(String state, int inflight, List<EndpointStatus> endpoints, Connections connections,
                          @JsonInclude(JsonInclude.Include.NON_NULL) WindowStatus window) {

    /** A color of a service without a guard. */
    public ColorStatus(String state, int inflight, List<EndpointStatus> endpoints, Connections connections) {
        this(state, inflight, endpoints, connections, null);
    }

    public ColorStatus {
        endpoints = endpoints == null ? List.of() : endpoints;
    }

    /** Endpoints the gateway would send a request to: healthy and not ejected. */
    public int usableEndpoints() {
        int n = 0;
        for (EndpointStatus e : endpoints) {
            if (e.usable()) {
                n++;
            }
        }
        return n;
    }

    /** Open upstream connections: busy with a request, or idle in the pool. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Connections(int active, int idle) {
    }
}
