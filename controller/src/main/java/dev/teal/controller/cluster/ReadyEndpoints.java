package dev.teal.controller.cluster;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses of an EndpointSlice's ready endpoints ({@code conditions.ready} true or unset: the Kubernetes rule,
 * which the gateway's discovery applies too). Kept here rather than in the contract module so that the contract
 * needs no fabric8.
 */
public final class ReadyEndpoints {
    private ReadyEndpoints() {
    }

    public static List<String> of(EndpointSlice slice) {
        List<String> out = new ArrayList<>();
        if (slice.getEndpoints() == null) {
            return out;
        }
        for (Endpoint e : slice.getEndpoints()) {
            boolean ready = e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady());
            if (ready && e.getAddresses() != null) {
                out.addAll(e.getAddresses());
            }
        }
        return out;
    }
}
