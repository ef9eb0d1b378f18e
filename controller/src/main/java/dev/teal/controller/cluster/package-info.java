/**
 * Everything the controller reads from and writes to the API server, in Kubernetes terms: the front Service, the
 * per-color Services it owns, EndpointSlices, Ingresses, Deployments and Events.
 *
 * <p>Start at {@link dev.teal.controller.cluster.ClusterClient}. Every write is a JSON merge patch (the one patch type
 * every API server and the fabric8 mock accept); writes of {@code teal.dev/*} annotations carry the
 * {@code resourceVersion} they were computed from, so a concurrent user change answers {@code 409} and surfaces as a
 * {@link dev.teal.controller.cluster.ConflictException}, on which the reconcile is simply run again.
 */
package dev.teal.controller.cluster;
