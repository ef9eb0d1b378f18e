package dev.teal.controller;

import dev.teal.contract.HostPort;
import dev.teal.controller.election.LeaderElection;
import java.time.Duration;
import java.util.Objects;

/**
 * What the controller is told at start (see docs/SEAMS.md for the command line). Build with {@link #builder()}.
 *
 * @param namespace           the namespace whose front Services are watched; null means all
 * @param gatewayNamespace    where the gateway's admin Service lives
 * @param gatewayAdminService the Service whose EndpointSlices list the gateway replicas' admin endpoints
 * @param gatewayAdminPort    the admin port when a slice does not name one
 * @param leaseNamespace      namespace of the leader Lease
 * @param leaseName           name of the leader Lease
 * @param identity            this instance's name in the Lease
 * @param metricsListen       the metrics listener ({@code /metrics}, {@code /healthz}, {@code /readyz})
 * @param election            Lease timings
 * @param probeTimeout        how long one gateway replica's {@code /status} may take
 * @param resync              how often every front Service is reconciled even without a change
 */
public record ControllerSettings(String namespace, String gatewayNamespace, String gatewayAdminService,
                                 int gatewayAdminPort, String leaseNamespace, String leaseName, String identity,
                                 HostPort metricsListen, LeaderElection.Timing election, Duration probeTimeout,
                                 Duration resync) {

    public ControllerSettings {
        Objects.requireNonNull(gatewayNamespace, "gatewayNamespace");
        Objects.requireNonNull(gatewayAdminService, "gatewayAdminService");
        Objects.requireNonNull(leaseNamespace, "leaseNamespace");
        Objects.requireNonNull(leaseName, "leaseName");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(metricsListen, "metricsListen");
        Objects.requireNonNull(election, "election");
        if (gatewayAdminPort < 1 || gatewayAdminPort > 65535) {
            throw new IllegalArgumentException("gateway admin port must be within 1..65535");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setter names its default. */
    public static final class Builder {
        private String namespace;
        private String gatewayNamespace = "default";
        private String gatewayAdminService = "teal-gateway-admin";
        private int gatewayAdminPort = 9901;
        private String leaseNamespace;
        private String leaseName = "teal-controller";
        private String identity = "teal-controller";
        private HostPort metricsListen = new HostPort("0.0.0.0", 9902);
        private LeaderElection.Timing election = LeaderElection.Timing.DEFAULT;
        private Duration probeTimeout = Duration.ofSeconds(2);
        private Duration resync = Duration.ofMinutes(1);

        /** Watched namespace; default all namespaces. */
        public Builder namespace(String v) {
            namespace = v;
            return this;
        }

        /** Namespace of the gateway admin Service; default {@code default}. */
        public Builder gatewayNamespace(String v) {
            gatewayNamespace = v;
            return this;
        }

        /** Default {@code teal-gateway-admin}. */
        public Builder gatewayAdminService(String v) {
            gatewayAdminService = v;
            return this;
        }

        /** Default 9901. */
        public Builder gatewayAdminPort(int v) {
            gatewayAdminPort = v;
            return this;
        }

        /** Default: the gateway namespace. */
        public Builder leaseNamespace(String v) {
            leaseNamespace = v;
            return this;
        }

        /** Default {@code teal-controller}. */
        public Builder leaseName(String v) {
            leaseName = v;
            return this;
        }

        /** Default {@code teal-controller}; Main uses env {@code POD_NAME}, else the host name. */
        public Builder identity(String v) {
            identity = v;
            return this;
        }

        /** Default {@code 0.0.0.0:9902}. */
        public Builder metricsListen(HostPort v) {
            metricsListen = v;
            return this;
        }

        /** Default 15s lease, 10s renew deadline, 2s retry, released on close. */
        public Builder election(LeaderElection.Timing v) {
            election = v;
            return this;
        }

        /** Default 2s. */
        public Builder probeTimeout(Duration v) {
            probeTimeout = v;
            return this;
        }

        /** Default 1 minute. */
        public Builder resync(Duration v) {
            resync = v;
            return this;
        }

        public ControllerSettings build() {
            return new ControllerSettings(namespace, gatewayNamespace, gatewayAdminService, gatewayAdminPort,
                    leaseNamespace != null ? leaseNamespace : gatewayNamespace, leaseName, identity, metricsListen,
                    election, probeTimeout, resync);
        }
    }
}
