package dev.teal.controller.reconcile;

import dev.teal.contract.Annotations;
import dev.teal.contract.ClusterNames;
import dev.teal.contract.Names;
import dev.teal.controller.cluster.ClusterClient;
import dev.teal.controller.cutover.Confirmation;
import dev.teal.contract.guard.Guard;
import dev.teal.controller.cutover.CutoverConfirmer;
import dev.teal.controller.cutover.GuardFigures;
import dev.teal.controller.cutover.HealthGate;
import dev.teal.controller.metrics.ControllerMetrics;
import dev.teal.controller.metrics.ControllerMetrics.Result;
import dev.teal.controller.reconcile.CutoverStatus.Bake;
import dev.teal.controller.reconcile.CutoverStatus.Cutover;
import dev.teal.controller.reconcile.CutoverStatus.GuardVerdict;
import dev.teal.controller.reconcile.CutoverStatus.LastCutover;
import dev.teal.controller.reconcile.CutoverStatus.ScaleDown;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one front Service. Idempotent: each call reads the Service, derives what should be from its
 * annotations and {@code teal.dev/status}, applies the difference and writes the status; running it twice in a row
 * changes nothing the second time. It keeps no state between calls, so a new leader resumes where the old one was.
 *
 * <p>The cutover, step by step (see CONTRACT.md): {@code Waiting} until the target color's Service has
 * {@code min-ready} ready endpoints; write {@code teal.dev/serving} ({@code Switching}); poll every gateway replica's
 * {@code /status} until each serves the target and has drained ({@code Draining} once all serve); then point the
 * front selector at the target, label the Service and its Ingresses, record {@code CutoverComplete} and go
 * {@code Active}; later, if asked, scale the old color's Deployments to 0.
 */
public final class FrontServiceReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(FrontServiceReconciler.class);
    /** How often a Waiting cutover counts ready endpoints again (EndpointSlice events also wake it). */
    static final Duration WAITING_POLL = Duration.ofSeconds(2);
    /** How often gateway replicas are asked while a cutover is confirmed. */
    static final Duration CONFIRM_POLL = Duration.ofMillis(300);
    /** Allowance after the drain timeout for a replica that saw the switch a little later than it was written. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(1);
    /** How often the replicas' window figures are judged while a guard bakes. */
    static final Duration BAKE_POLL = Duration.ofSeconds(1);

    private final ClusterClient cluster;
    private final CutoverConfirmer confirmer;
    private final ControllerMetrics metrics;
    private final Clock clock;

    public FrontServiceReconciler(ClusterClient cluster, CutoverConfirmer confirmer, ControllerMetrics metrics,
                                  Clock clock) {
        this.cluster = cluster;
        this.confirmer = confirmer;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Reconciles Service {@code namespace/name}.
     *
     * @return when to look again even if nothing changes (a cutover in progress, a scale-down due), or null
     * @throws dev.teal.controller.cluster.ConflictException when the Service changed under a write; run again
     */
    public Duration reconcile(String namespace, String name) {
        Service front = cluster.service(namespace, name);
        Map<String, String> annotations = front == null ? Map.of() : annotations(front);
        if (!annotations.containsKey(Annotations.ACTIVE)) {
            metrics.forget(namespace, name);
            return null;
        }
        Instant now = clock.instant();
        CutoverStatus status = CutoverStatus.parse(annotations.get(Annotations.STATUS));
        TealSpec spec;
        try {
            spec = TealAnnotations.parse(name, annotations, front.getSpec().getSelector());
        } catch (InvalidAnnotationException e) {
            block(front, status, e.getMessage(), now);
            return null;
        }
        Set<String> colors = new LinkedHashSet<>();
        colors.add(spec.active());
        if (spec.serving() != null) {
            colors.add(spec.serving());
        }
        colors.addAll(deployedColors(front, spec));
        for (String color : colors) {
            if (cluster.ensureColorService(front, color, colorSelector(spec, color))) {
                log(front).atInfo().setMessage("per-color Service written")
                        .addKeyValue("colorService", ClusterNames.colorService(name, color)).log();
            }
        }
        if (spec.cutoverRequested()) {
            if (rolledBackHolds(spec, status)) {
                return stayRolledBack(front, spec, status, now);
            }
            return startOrWait(front, spec, status, now);
        }
        Cutover cutover = status == null ? null : status.cutover();
        if (status == null || !spec.serving().equals(status.serving())) {
            // serving was set without a status we can trust: confirm it before claiming anything
            Cutover unknown = new Cutover(status == null ? null : status.serving(), spec.serving(), now, now);
            return confirm(front, spec, status, unknown, now);
        }
        if (cutover != null && cutover.switchedAt() != null && cutover.to().equals(spec.serving())) {
            return confirm(front, spec, status, cutover, now);
        }
        if (status.phase() == Phase.Baking && status.bake() != null && status.bake().to().equals(spec.serving())) {
            return bake(front, spec, status, now);
        }
        return steady(front, spec, status, now);
    }

    private Duration startOrWait(Service front, TealSpec spec, CutoverStatus status, Instant now) {
        String target = spec.active();
        Cutover previous = status == null ? null : status.cutover();
        if (previous != null && !previous.to().equals(target)) {
            metrics.cutover(Result.superseded);
            log(front).atInfo().setMessage("cutover superseded by a newer change").addKeyValue("to", previous.to())
                    .addKeyValue("newTarget", target).log();
            previous = null;
        }
        Cutover cutover = previous != null && previous.switchedAt() == null
                ? previous : new Cutover(spec.serving(), target, now, null);
        CutoverStatus base = base(status, spec.serving());
        if (base.scaleDown() != null && base.scaleDown().color().equals(target)) {
            base = base.withScaleDown(null); // going back to a color that was due to be scaled down
        }
        String colorService = ClusterNames.colorService(front.getMetadata().getName(), target);
        int ready = cluster.readyEndpoints(front.getMetadata().getNamespace(), colorService);
        if (ready < spec.minReady()) {
            String message = "waiting for " + target + ": " + ready + "/" + spec.minReady()
                    + " ready endpoints in Service " + colorService
                    + (spec.healthPath() == null ? "" : "; then the gateways' health checks (" + spec.healthPath() + ")");
            write(front, status, base.next(Phase.Waiting, spec.serving(), message, now, cutover), Map.of(), now);
            return WAITING_POLL;
        }
        if (spec.healthPath() != null && spec.serving() != null) { // the first cutover has nothing to protect yet
            String key = ClusterNames.serviceKey(front.getMetadata().getNamespace(), front.getMetadata().getName());
            HealthGate.Result health = confirmer.healthy(key, target, Math.max(1, spec.minReady()));
            if (!health.open()) {
                String message = "waiting for " + target + ": " + ready + "/" + spec.minReady()
                        + " ready endpoints in Service " + colorService + "; gateways' health checks ("
                        + spec.healthPath() + "): " + health.message();
                write(front, status, base.next(Phase.Waiting, spec.serving(), message, now, cutover), Map.of(), now);
                return WAITING_POLL;
            }
        }
        String message = "switching " + (spec.serving() == null ? "to " + target : "from " + spec.serving()
                + " to " + target) + " (" + ready + " ready endpoints); asking gateway replicas";
        write(front, status, base.next(Phase.Switching, target, message, now, cutover.withSwitchedAt(now)),
                Map.of(Annotations.SERVING, target), now);
        cluster.event(front, "Normal", "CutoverStarted", message);
        return CONFIRM_POLL;
    }

    private Duration confirm(Service front, TealSpec spec, CutoverStatus status, Cutover cutover, Instant now) {
        String target = spec.serving();
        boolean drainTimeoutPassed = !now.isBefore(cutover.switchedAt().plus(spec.drainTimeout()).plus(DRAIN_GRACE));
        String key = ClusterNames.serviceKey(front.getMetadata().getNamespace(), front.getMetadata().getName());
        Confirmation confirmation = confirmer.confirm(key, target, drainTimeoutPassed);
        CutoverStatus base = base(status, target);
        boolean guarded = spec.guard() != null && cutover.from() != null && !cutover.from().equals(target);
        if (guarded && confirmation.allServing() && !confirmation.complete()) {
            // every replica serves the target; some still drain the old color: the guard judges already
            GuardFigures figures = GuardFigures.of(confirmation.answers(), target);
            Guard.Verdict v = spec.guard().judge(figures.figures());
            if (v.kind() == Guard.Verdict.Kind.BREACH) {
                Bake b = new Bake(spec.guard().text(), cutover.from(), target, now.plus(spec.guard().bake()), false,
                        null);
                return rollBack(front, spec, base, b, v, figures, now);
            }
        }
        if (!confirmation.complete()) {
            Phase phase = confirmation.allServing() ? Phase.Draining : Phase.Switching;
            write(front, status, base.next(phase, target, confirmation.message(), now, cutover), Map.of(), now);
            return CONFIRM_POLL;
        }
        // confirmed on every replica: now, and only now, make the cluster agree
        Service current = selectAndLabel(front, spec, target);
        Duration took = Duration.between(cutover.startedAt(), now);
        String seconds = String.format(java.util.Locale.ROOT, "%.1fs", took.toMillis() / 1000.0);
        ScaleDown scaleDown = base.scaleDown() != null && !base.scaleDown().color().equals(target)
                ? base.scaleDown() : null;
        if (spec.scaleDownDelay() != null && cutover.from() != null && !cutover.from().equals(target)) {
            scaleDown = new ScaleDown(cutover.from(), now.plus(spec.scaleDownDelay()));
        }
        LastCutover last = new LastCutover(cutover.from(), target, now, took.toMillis() / 1000.0,
                confirmation.replicas());
        String baking = "";
        if (guarded) {
            // the old color keeps running until the bake has passed: the rollback needs it
            scaleDown = base.scaleDown() != null && !base.scaleDown().color().equals(target)
                    && !base.scaleDown().color().equals(cutover.from()) ? base.scaleDown() : null;
            Bake bake = new Bake(spec.guard().text(), cutover.from(), target, now.plus(spec.guard().bake()), false,
                    null);
            baking = "; guard " + spec.guard().text() + " baking until " + bake.until();
            write(current, status, base.next(Phase.Baking, target, "serving " + target + "; "
                    + confirmation.message() + baking, now, null).withBake(bake).withLastCutover(last, scaleDown),
                    Map.of(), now);
        } else {
            String message = "serving " + target + "; " + confirmation.message();
            write(current, status, base.next(Phase.Active, target, message, now, null).withLastCutover(last, scaleDown),
                    Map.of(), now);
        }
        String what = cutover.from() == null ? "cutover to " + target : "cutover from " + cutover.from() + " to "
                + target;
        cluster.event(front, "Normal", "CutoverComplete", what + " complete in " + seconds + "; "
                + confirmation.replicas() + " gateway replicas confirmed" + baking);
        metrics.cutover(Result.completed);
        log(front).atInfo().setMessage("cutover complete").addKeyValue("from", cutover.from())
                .addKeyValue("to", target).addKeyValue("seconds", seconds)
                .addKeyValue("replicas", confirmation.replicas()).log();
        if (guarded) {
            return BAKE_POLL;
        }
        return scaleDown == null ? null : Duration.between(now, scaleDown.after());
    }

    /**
     * Baking: sums every replica's window figures of the new color, merges their latency histograms, and judges them
     * against the guard. A breach rolls back; the end of the bake is {@code passed} when a judgement had enough
     * requests and none breached, else {@code not_judged}; only then may the old color be scaled down.
     */
    private Duration bake(Service front, TealSpec spec, CutoverStatus status, Instant now) {
        Bake b = status.bake();
        Guard guard = spec.guard();
        String key = ClusterNames.serviceKey(front.getMetadata().getNamespace(), front.getMetadata().getName());
        GuardFigures figures = guard == null ? null : confirmer.guardFigures(key, b.to());
        Guard.Verdict v = guard == null ? null : guard.judge(figures.figures());
        if (v != null && v.kind() == Guard.Verdict.Kind.BREACH) {
            return rollBack(front, spec, status, b, v, figures, now);
        }
        boolean judged = b.judged() || (v != null && v.kind() == Guard.Verdict.Kind.PASS);
        if (guard != null && now.isBefore(b.until())) {
            // the status changes only when the verdict so far does (the gateways watch this Service)
            Bake next = judged == b.judged() ? b : new Bake(b.guard(), b.from(), b.to(), b.until(), true, v.figures());
            write(front, status, status.next(Phase.Baking, b.to(), status.message(), now, null).withBake(next),
                    Map.of(), now);
            Duration left = Duration.between(now, b.until());
            return left.compareTo(BAKE_POLL) < 0 ? left : BAKE_POLL;
        }
        String result = guard == null ? "removed" : judged ? "passed" : "not_judged";
        ScaleDown scaleDown = status.scaleDown();
        if (spec.scaleDownDelay() != null) {
            scaleDown = new ScaleDown(b.from(), now.plus(spec.scaleDownDelay()));
        }
        String shown = v == null ? "" : " (" + v.figures() + "; " + figures.describe() + ")";
        String message = switch (result) {
            case "passed" -> "serving " + b.to() + "; guard passed" + shown;
            case "not_judged" -> "serving " + b.to() + "; guard not judged: fewer than " + guard.minRequests()
                    + " requests in every window of the bake" + shown;
            default -> "serving " + b.to() + "; guard removed during the bake";
        };
        CutoverStatus next = status.next(Phase.Active, b.to(), message, now, null).withScaleDown(scaleDown)
                .withGuard(guard == null ? status.guard() : new GuardVerdict(result, b.from(), b.to(), now,
                        v.figures(), null, null));
        write(front, status, next, Map.of(), now);
        if (result.equals("not_judged")) {
            cluster.event(front, "Warning", "CutoverNotJudged", message);
        } else if (result.equals("passed")) {
            cluster.event(front, "Normal", "CutoverGuardPassed", message);
        }
        log(front).atInfo().setMessage("guard bake ended").addKeyValue("from", b.from()).addKeyValue("to", b.to())
                .addKeyValue("result", result).addKeyValue("figures", v == null ? null : v.figures()).log();
        return scaleDown == null ? null : Duration.between(now, scaleDown.after()).isNegative() ? Duration.ZERO
                : Duration.between(now, scaleDown.after());
    }

    /** A breach: back to the previous color through the normal path, the front selector with it. */
    private Duration rollBack(Service front, TealSpec spec, CutoverStatus status, Bake b, Guard.Verdict v,
                              GuardFigures figures, Instant now) {
        String back = b.from();
        Service current = selectAndLabel(front, spec, back);
        String message = "rolled back from " + b.to() + " to " + back + ": " + v.breach() + " (" + v.figures() + "; "
                + figures.describe() + "); teal.dev/active still names " + b.to() + ": set it to " + back
                + " to accept, or change teal.dev/retry to try " + b.to() + " again";
        ScaleDown scaleDown = status.scaleDown() != null && status.scaleDown().color().equals(back) ? null
                : status.scaleDown();
        GuardVerdict verdict = new GuardVerdict("rolled_back", back, b.to(), now, v.figures(), v.breach(),
                spec.retry());
        write(current, status, status.next(Phase.RolledBack, back, message, now, null).withGuard(verdict)
                .withScaleDown(scaleDown), Map.of(Annotations.SERVING, back), now);
        cluster.event(front, "Warning", "CutoverRolledBack", "cutover from " + back + " to " + b.to()
                + " rolled back: " + v.breach() + " (" + v.figures() + "; " + figures.describe() + ")");
        metrics.cutover(Result.rolled_back);
        log(front).atWarn().setMessage("cutover rolled back").addKeyValue("from", b.to()).addKeyValue("to", back)
                .addKeyValue("breach", v.breach()).addKeyValue("figures", v.figures())
                .addKeyValue("replicas", figures.describe()).log();
        return null;
    }

    /**
     * The rollback holds while {@code teal.dev/active} still names the rejected color and {@code teal.dev/retry} is
     * what it was at the rollback.
     */
    private static boolean rolledBackHolds(TealSpec spec, CutoverStatus status) {
        GuardVerdict g = status == null ? null : status.guard();
        return g != null && status.phase() == Phase.RolledBack && "rolled_back".equals(g.result())
                && g.to().equals(spec.active()) && g.from().equals(spec.serving())
                && java.util.Objects.equals(g.retry(), spec.retry());
    }

    private Duration stayRolledBack(Service front, TealSpec spec, CutoverStatus status, Instant now) {
        Service current = selectAndLabel(front, spec, spec.serving());
        write(current, status, status.next(Phase.RolledBack, spec.serving(), status.message(), now, null), Map.of(),
                now);
        return null;
    }

    private Duration steady(Service front, TealSpec spec, CutoverStatus status, Instant now) {
        String serving = spec.serving();
        Service current = selectAndLabel(front, spec, serving);
        ScaleDown scaleDown = status.scaleDown();
        if (scaleDown != null && scaleDown.color().equals(serving)) {
            scaleDown = null;
        }
        String message = status.phase() == Phase.Active ? status.message() : "serving " + serving;
        if (status.cutover() != null && status.cutover().switchedAt() == null) {
            message = "serving " + serving + "; cutover to " + status.cutover().to() + " cancelled";
            metrics.cutover(Result.cancelled);
        }
        if (scaleDown != null && !now.isBefore(scaleDown.after())) {
            scaleDown(front, spec, scaleDown.color());
            scaleDown = null;
        }
        write(current, status, status.next(Phase.Active, serving, message, now, null).withScaleDown(scaleDown),
                Map.of(), now);
        return scaleDown == null ? null : Duration.between(now, scaleDown.after());
    }

    private void scaleDown(Service front, TealSpec spec, String color) {
        List<Deployment> deployments = cluster.deploymentsWithPodLabels(front.getMetadata().getNamespace(),
                colorSelector(spec, color));
        List<String> scaled = deployments.stream().filter(cluster::scaleToZero)
                .map(d -> d.getMetadata().getName()).toList();
        if (!scaled.isEmpty()) {
            cluster.event(front, "Normal", "ScaledDown", "scaled Deployments " + String.join(", ", scaled)
                    + " of color " + color + " to 0 replicas");
        }
        log(front).atInfo().setMessage("old color scaled down").addKeyValue("color", color)
                .addKeyValue("deployments", String.join(",", scaled)).log();
    }

    private void block(Service front, CutoverStatus status, String message, Instant now) {
        CutoverStatus base = status != null ? status
                : new CutoverStatus(Phase.Active, null, message, null, null, null, null);
        CutoverStatus next = base.next(Phase.Blocked, base.serving(), message, now, base.cutover());
        if (next.sameAs(status)) {
            metrics.currentPhase(front.getMetadata().getNamespace(), front.getMetadata().getName(), Phase.Blocked);
            return;
        }
        write(front, status, next, Map.of(), now);
        cluster.event(front, "Warning", "InvalidAnnotation", message);
        log(front).atWarn().setMessage("blocked by an invalid annotation").addKeyValue("reason", message).log();
    }

    /** Points the front selector at {@code color}; labels the Service and every Ingress that routes to it. */
    private Service selectAndLabel(Service front, TealSpec spec, String color) {
        Service current = cluster.selectColor(front, spec.colorLabel(), color, Annotations.ACTIVE_COLOR_LABEL);
        for (Ingress ingress : cluster.ingressesRoutingTo(front.getMetadata().getNamespace(),
                front.getMetadata().getName())) {
            cluster.labelIngress(ingress, Annotations.ACTIVE_COLOR_LABEL, color);
        }
        return current;
    }

    /** Writes the status (and any other annotations) when it changes; records phase metrics and logs moves. */
    private void write(Service front, CutoverStatus old, CutoverStatus next, Map<String, String> more, Instant now) {
        String ns = front.getMetadata().getNamespace();
        String name = front.getMetadata().getName();
        if (more.isEmpty() && next.sameAs(old)) {
            metrics.currentPhase(ns, name, next.phase());
            return;
        }
        Map<String, String> annotations = new LinkedHashMap<>(more);
        annotations.put(Annotations.STATUS, next.toJson());
        cluster.patchAnnotations(front, annotations);
        metrics.currentPhase(ns, name, next.phase());
        if (old == null || old.phase() != next.phase()) {
            if (old != null) {
                metrics.phaseEnded(old.phase(), old.inPhase(now));
            }
            log(front).atInfo().setMessage("phase " + next.phase()).addKeyValue("serving", next.serving())
                    .addKeyValue("detail", next.message()).log();
        } else {
            log(front).atDebug().setMessage("status").addKeyValue("phase", next.phase())
                    .addKeyValue("detail", next.message()).log();
        }
    }

    private static CutoverStatus base(CutoverStatus status, String serving) {
        return status != null ? status : new CutoverStatus(Phase.Active, serving, "", null, null, null, null);
    }

    /**
     * Every color among the pod template labels of the front Service's Deployments (those whose template carries its
     * selector): each gets its per-color Service before any cutover, so gateways know its endpoints (preview, the
     * switch gate). A label value that is not a color name is skipped.
     */
    private Set<String> deployedColors(Service front, TealSpec spec) {
        Set<String> found = new java.util.TreeSet<>();
        for (Deployment d : cluster.deploymentsWithPodLabels(front.getMetadata().getNamespace(),
                spec.baseSelector())) {
            String color = d.getSpec().getTemplate().getMetadata().getLabels().get(spec.colorLabel());
            if (color != null && Names.isColor(color)) {
                found.add(color);
            }
        }
        return found;
    }

    private static Map<String, String> colorSelector(TealSpec spec, String color) {
        Map<String, String> selector = new LinkedHashMap<>(spec.baseSelector());
        selector.put(spec.colorLabel(), color);
        return selector;
    }

    private static Map<String, String> annotations(Service s) {
        Map<String, String> a = s.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private static ScopedLog log(Service s) {
        return new ScopedLog(s.getMetadata().getNamespace(), s.getMetadata().getName());
    }

    /** Log lines about one front Service carry its namespace and name. */
    private record ScopedLog(String namespace, String service) {
        org.slf4j.spi.LoggingEventBuilder atInfo() {
            return LOG.atInfo().addKeyValue("namespace", namespace).addKeyValue("service", service);
        }

        org.slf4j.spi.LoggingEventBuilder atWarn() {
            return LOG.atWarn().addKeyValue("namespace", namespace).addKeyValue("service", service);
        }

        org.slf4j.spi.LoggingEventBuilder atDebug() {
            return LOG.atDebug().addKeyValue("namespace", namespace).addKeyValue("service", service);
        }
    }
}
