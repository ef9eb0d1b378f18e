package dev.teal.controller.metrics;

import dev.teal.contract.BuildInfo;
import dev.teal.controller.reconcile.Phase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every controller meter. Prometheus names: {@code teal_controller_cutovers_total{result}},
 * {@code teal_controller_phase_seconds{phase}} (histogram), {@code teal_controller_reconcile_errors_total},
 * {@code teal_controller_leader}, {@code teal_controller_cutover_phase{namespace,service,phase}} (1 for the current
 * phase of each front Service, else 0), {@code teal_build_info{version,revision,java}} (always 1).
 */
public final class ControllerMetrics {
    static final String CUTOVERS = "teal.controller.cutovers";
    static final String PHASE = "teal.controller.phase";
    static final String RECONCILE_ERRORS = "teal.controller.reconcile.errors";
    static final String LEADER = "teal.controller.leader";
    static final String CUTOVER_PHASE = "teal.controller.cutover.phase";
    static final String BUILD_INFO = "teal.build.info";

    /** Results of a cutover. */
    public enum Result {
        /** Confirmed on every replica and the cluster made to agree. */
        completed,
        /** A newer {@code teal.dev/active} change replaced it mid-way. */
        superseded,
        /** {@code teal.dev/active} went back to the serving color while waiting. */
        cancelled,
        /** Completed, then the front Service's guard found the new color breaching and switched back. */
        rolled_back
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter reconcileErrors;
    private final AtomicInteger leader = new AtomicInteger();
    private final Map<String, Map<Phase, AtomicInteger>> phases = new ConcurrentHashMap<>();

    public ControllerMetrics() {
        reconcileErrors = Counter.builder(RECONCILE_ERRORS)
                .description("Reconciles that failed with an error (they are retried with backoff)")
                .register(registry);
        Gauge.builder(LEADER, leader, AtomicInteger::get)
                .description("1 while this controller instance holds the leader Lease, else 0")
                .register(registry);
        BuildInfo build = BuildInfo.current();
        Gauge.builder(BUILD_INFO, () -> 1)
                .description("Always 1; the labels say which build runs: version, git revision, Java version")
                .tags("version", build.version(), "revision", build.revision(), "java", build.java())
                .register(registry);
        for (Result r : Result.values()) {
            cutoverCounter(r);
        }
        for (Phase p : Phase.values()) {
            phaseTimer(p);
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void cutover(Result result) {
        cutoverCounter(result).increment();
    }

    /** Time a front Service spent in {@code phase} before it moved on. */
    public void phaseEnded(Phase phase, Duration spent) {
        phaseTimer(phase).record(spent);
    }

    public void reconcileError() {
        reconcileErrors.increment();
    }

    public void leader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
    }

    /** Sets {@code teal_controller_cutover_phase} of one front Service: 1 for {@code phase}, 0 for the others. */
    public void currentPhase(String namespace, String service, Phase phase) {
        Map<Phase, AtomicInteger> gauges = phases.computeIfAbsent(namespace + "/" + service, k -> {
            Map<Phase, AtomicInteger> m = new ConcurrentHashMap<>();
            for (Phase p : Phase.values()) {
                AtomicInteger v = new AtomicInteger();
                Gauge.builder(CUTOVER_PHASE, v, AtomicInteger::get)
                        .description("1 for the phase a front Service is in (teal.dev/status), 0 for the others")
                        .tags(Tags.of("namespace", namespace, "service", service, "phase", p.name()))
                        .register(registry);
                m.put(p, v);
            }
            return m;
        });
        gauges.forEach((p, v) -> v.set(p == phase ? 1 : 0));
    }

    /** Drops the per-Service gauges of a Service that is gone or no longer managed. */
    public void forget(String namespace, String service) {
        if (phases.remove(namespace + "/" + service) != null) {
            registry.getMeters().stream()
                    .filter(m -> m.getId().getName().equals(CUTOVER_PHASE)
                            && namespace.equals(m.getId().getTag("namespace"))
                            && service.equals(m.getId().getTag("service")))
                    .toList().forEach(registry::remove);
        }
    }

    /** Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter cutoverCounter(Result result) {
        return Counter.builder(CUTOVERS).description("Cutovers handled by the controller, by result")
                .tag("result", result.name()).register(registry);
    }

    private Timer phaseTimer(Phase phase) {
        return Timer.builder(PHASE).description("Time front Services spent in each cutover phase")
                .tag("phase", phase.name()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry);
    }
}
