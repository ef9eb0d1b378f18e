/**
 * Kubernetes mode of the gateway: follow the cluster instead of a file.
 *
 * <p>{@link dev.teal.gateway.discovery.ClusterDiscovery} runs informers on Ingresses (class {@code teal}), Services,
 * EndpointSlices and the IngressClass; on every change {@link dev.teal.gateway.discovery.ServiceMapBuilder} turns what
 * the informers hold into the same immutable {@link dev.teal.gateway.config.ServiceConfig} map and
 * {@link dev.teal.gateway.config.Routes} as file mode (Ingress rules merged; color-managed Services by color, plain
 * Services as one pool), which the running gateway applies in one swap. In the gateway the build is incremental:
 * {@link dev.teal.gateway.discovery.ClusterState} keeps the objects indexed by lookup key and builds again only the
 * backends a change touches, sharing every other part with the last build. Rules that cannot be routed become
 * Warning Events on their Ingress.
 * Routing follows {@code teal.dev/serving} only. The last map that applied is kept in a
 * {@link dev.teal.gateway.discovery.SnapshotFile} so a gateway that starts while the API server is unreachable serves
 * from it; {@link dev.teal.gateway.discovery.SnapshotWriter} writes it off the discovery thread, at most once a second.
 * {@link dev.teal.gateway.discovery.DiscoveryMeters} measures how far discovery is behind ({@code teal_discovery_*}).
 * {@link dev.teal.gateway.discovery.ClusterMode} is the command-line entry ({@code --kubernetes}).
 * The names, defaults and per-service settings it shares with the controller live in the contract module
 * ({@link dev.teal.contract.Annotations}, {@link dev.teal.contract.ClusterNames},
 * {@link dev.teal.contract.ServiceAnnotations}).
 */
package dev.teal.gateway.discovery;
