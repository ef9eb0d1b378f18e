package dev.teal.controller.cutover;

import dev.teal.contract.HostPort;
import dev.teal.controller.cluster.ClusterClient;
import dev.teal.controller.cluster.ReadyEndpoints;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the gateway replicas through the EndpointSlices of the gateway's admin Service. The admin port is the slice's
 * port named {@code admin}, else its only port, else the configured default.
 */
public final class GatewayReplicas {
    private final ClusterClient cluster;
    private final String namespace;
    private final String adminService;
    private final int defaultPort;

    public GatewayReplicas(ClusterClient cluster, String namespace, String adminService, int defaultPort) {
        this.cluster = cluster;
        this.namespace = namespace;
        this.adminService = adminService;
        this.defaultPort = defaultPort;
    }

    /** The admin addresses of every ready gateway replica, in a stable order. */
    public List<HostPort> find() {
        Set<HostPort> out = new LinkedHashSet<>();
        for (EndpointSlice slice : cluster.slicesOf(namespace, adminService)) {
            int port = adminPort(slice);
            for (String address : ReadyEndpoints.of(slice)) {
                out.add(new HostPort(address, port));
            }
        }
        List<HostPort> sorted = new ArrayList<>(out);
        sorted.sort((a, b) -> a.toString().compareTo(b.toString()));
        return sorted;
    }

    /** Where replicas are looked for, for messages. */
    public String source() {
        return "EndpointSlices of Service " + namespace + "/" + adminService;
    }

    private int adminPort(EndpointSlice slice) {
        List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
        for (EndpointPort p : ports) {
            if ("admin".equals(p.getName()) && p.getPort() != null) {
                return p.getPort();
            }
        }
        if (ports.size() == 1 && ports.get(0).getPort() != null) {
            return ports.get(0).getPort();
        }
        return defaultPort;
    }
}
