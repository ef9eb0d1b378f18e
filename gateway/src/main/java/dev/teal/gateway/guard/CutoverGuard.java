package dev.teal.gateway.guard;

import dev.teal.contract.guard.Guard;
import dev.teal.contract.guard.WindowFigures;
import dev.teal.contract.status.GuardStatus;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.routing.Router;
import dev.teal.gateway.routing.ServiceRoute;
import dev.teal.gateway.routing.ServiceRuntime;
import dev.teal.gateway.routing.SwitchOutcome;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode's cutover guard. After a switch of a service with a guard (from the file or the admin API), for
 * the guard's {@code bake}, it judges the new color's {@link GuardWindow} once a second on the scheduler (never on
 * an event loop). A breach switches back to the previous color through the Router's normal path (gate, warm-up,
 * one publication; source {@code guard}), logs one line with the figures, counts
 * {@code teal_cutovers_total{result="rolled_back"}} and shows in {@code /status}. A bake that ends is
 * {@code passed} when at least one judgement had {@code min-requests} and none breached, else {@code not_judged}:
 * too little traffic is never reported as success. In Kubernetes mode the controller judges instead (across
 * replicas); this is not started there.
 */
public final class CutoverGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverGuard.class);
    static final long TICK_MILLIS = 1000;

    private final Router router;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Bake> bakes = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> tick;

    public CutoverGuard(Router router, GatewayMetrics metrics, ScheduledExecutorService scheduler) {
        this.router = router;
        this.metrics = metrics;
        this.scheduler = scheduler;
    }

    /** Listens to the Router's switches and judges every second. */
    public void start() {
        router.onSwitch(this::switched);
        tick = scheduler.scheduleWithFixedDelay(this::judgeAll, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One bake in progress. */
    private static final class Bake {
        final ServiceRuntime service;
        final Guard guard;
        final String from;
        final String to;
        final Instant switchedAt;
        final Instant until;
        final long deadlineNanos;
        boolean judged;
        volatile boolean rollingBack;
        String breachReported;

        Bake(ServiceRuntime service, Guard guard, String from, String to) {
            this.service = service;
            this.guard = guard;
            this.from = from;
            this.to = to;
            this.switchedAt = Instant.now();
            this.until = switchedAt.plus(guard.bake());
            this.deadlineNanos = System.nanoTime() + guard.bake().toNanos();
        }

        GuardStatus status(String state, Instant decidedAt, String figures, String breach) {
            return new GuardStatus(guard.text(), state, from, to, switchedAt, until, decidedAt, figures, breach);
        }
    }

    private void switched(ServiceRuntime service, String from, String to, String source) {
        Bake old = bakes.remove(service.name());
        if (old != null && "guard".equals(source)) {
            return; // our own rollback: the status says rolled_back already
        }
        if (old != null) {
            GuardStatus s = service.guardStatus();
            service.guardStatus(old.status("superseded", Instant.now(), s == null ? null : s.figures(), null));
        }
        Guard guard = service.config().guard();
        if (guard == null || "guard".equals(source) || from.equals(to)) {
            return;
        }
        Bake bake = new Bake(service, guard, from, to);
        service.guardStatus(bake.status("baking", null, null, null));
        bakes.put(service.name(), bake);
        LOG.atInfo().addKeyValue("service", service.name()).addKeyValue("from", from).addKeyValue("to", to)
                .addKeyValue("guard", guard.text()).addKeyValue("until", bake.until).log("guard baking");
    }

    private void judgeAll() {
        for (Bake b : bakes.values()) {
            try {
                judge(b);
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("service", b.service.name()).addKeyValue("error", e.toString())
                        .log("guard judgement failed; tried again in a second");
            }
        }
    }

    private void judge(Bake b) {
        String name = b.service.name();
        ServiceRoute route = router.current().service(name);
        if (route == null || route.service() != b.service || b.rollingBack) {
            if (route == null || route.service() != b.service) {
                bakes.remove(name, b);
            }
            return;
        }
        GuardWindow window = route.serving().window();
        if (!route.serving().color().equals(b.to)) {
            bakes.remove(name, b); // switched elsewhere: that switch recorded it
            return;
        }
        if (window == null) {
            bakes.remove(name, b); // a reload removed the guard: nothing to judge, nothing to show
            b.service.guardStatus(null);
            return;
        }
        WindowFigures figures = window.figures();
        Guard.Verdict v = b.guard.judge(figures);
        boolean over = System.nanoTime() - b.deadlineNanos >= 0;
        switch (v.kind()) {
            case BREACH -> {
                rollBack(b, v);
                return;
            }
            case PASS -> b.judged = true;
            case TOO_FEW -> { }
        }
        if (!over) {
            b.service.guardStatus(b.status("baking", null, v.figures(), null));
            return;
        }
        bakes.remove(name, b);
        String state = b.judged ? "passed" : "not_judged";
        b.service.guardStatus(b.status(state, Instant.now(), v.figures(), null));
        LOG.atInfo().addKeyValue("service", name).addKeyValue("from", b.from).addKeyValue("to", b.to)
                .addKeyValue("result", state).addKeyValue("figures", v.figures())
                .addKeyValue("minRequests", b.guard.minRequests())
                .log(b.judged ? "guard passed" : "guard bake ended with too few requests to judge; not judged");
    }

    private void rollBack(Bake b, Guard.Verdict v) {
        String name = b.service.name();
        b.rollingBack = true;
        router.rollBack(name, b.to, b.from).whenComplete((outcome, error) -> {
            b.rollingBack = false;
            if (outcome instanceof SwitchOutcome.Switched s && s.to().equals(b.from) && !s.from().equals(s.to())) {
                bakes.remove(name, b);
                b.service.guardStatus(b.status("rolled_back", Instant.now(), v.figures(), v.breach()));
                metrics.cutover(name, b.from, b.to, "rolled_back").increment();
                LOG.atWarn().addKeyValue("service", name).addKeyValue("from", b.to).addKeyValue("to", b.from)
                        .addKeyValue("breach", v.breach()).addKeyValue("figures", v.figures())
                        .addKeyValue("guard", b.guard.text()).log("cutover rolled back");
                return;
            }
            String why = error != null ? error.toString() : outcome instanceof SwitchOutcome.NoHealthyEndpoint n
                    ? n.reason() : String.valueOf(outcome);
            if (outcome instanceof SwitchOutcome.Switched) {
                bakes.remove(name, b); // another switch came first
                return;
            }
            b.service.guardStatus(b.status("baking", null, v.figures(), v.breach() + "; rollback to " + b.from
                    + " refused: " + why));
            if (!why.equals(b.breachReported)) {
                b.breachReported = why;
                LOG.atWarn().addKeyValue("service", name).addKeyValue("from", b.to).addKeyValue("to", b.from)
                        .addKeyValue("breach", v.breach()).addKeyValue("reason", why)
                        .log("guard breached but the rollback was refused; trying again every second");
            }
        });
    }

    @Override
    public void close() {
        ScheduledFuture<?> t = tick;
        if (t != null) {
            t.cancel(false);
        }
    }
}
