package dev.teal.controller.reconcile;

import dev.teal.controller.cluster.ConflictException;
import dev.teal.controller.metrics.ControllerMetrics;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconciles of front Services one at a time on one thread. A Service queued twice before its turn runs once.
 * A reconcile may ask to be run again after a delay; a conflict ({@code 409}) runs it again at once (a few times);
 * any other failure counts as a reconcile error and is retried with exponential backoff.
 */
public final class WorkQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
    static final int CONFLICT_RETRIES = 5;
    static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** What the queue runs: reconcile one Service, answer when to look again (or null). */
    @FunctionalInterface
    public interface Reconcile {
        Duration run(String namespace, String name);
    }

    private record Key(String namespace, String name) {
    }

    private final Reconcile reconcile;
    private final ControllerMetrics metrics;
    private final ScheduledExecutorService executor;
    private final Set<Key> queued = ConcurrentHashMap.newKeySet();
    private final Map<Key, Integer> failures = new ConcurrentHashMap<>();

    public WorkQueue(Reconcile reconcile, ControllerMetrics metrics) {
        this.reconcile = reconcile;
        this.metrics = metrics;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "teal-reconcile");
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = ex;
    }

    /** Queues a reconcile of {@code namespace/name} now (once, however often it is asked for before it runs). */
    public void add(String namespace, String name) {
        Key key = new Key(namespace, name);
        if (queued.add(key) && !executor.isShutdown()) {
            try {
                executor.execute(() -> run(key, 0));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.remove(key); // closing
            }
        }
    }

    private void later(Key key, Duration delay) {
        if (!executor.isShutdown()) {
            try {
                executor.schedule(() -> add(key.namespace(), key.name()), delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void run(Key key, int conflicts) {
        queued.remove(key);
        try {
            Duration again = reconcile.run(key.namespace(), key.name());
            failures.remove(key);
            if (again != null) {
                later(key, again.isNegative() ? Duration.ZERO : again);
            }
        } catch (ConflictException e) {
            if (conflicts < CONFLICT_RETRIES) {
                LOG.atDebug().setMessage("conflict; reconciling again").addKeyValue("namespace", key.namespace())
                        .addKeyValue("service", key.name()).log();
                run(key, conflicts + 1);
            } else {
                failed(key, "conflict " + CONFLICT_RETRIES + " times in a row: " + e.getMessage());
            }
        } catch (KubernetesClientException e) {
            failed(key, "API server: " + (e.getCode() > 0 ? e.getCode() + " " : "") + e.getMessage());
        } catch (RuntimeException e) {
            if (executor.isShutdown()) {
                return;
            }
            metrics.reconcileError();
            LOG.atError().setMessage("reconcile failed").addKeyValue("namespace", key.namespace())
                    .addKeyValue("service", key.name()).setCause(e).log();
            later(key, backoff(key));
        }
    }

    private void failed(Key key, String reason) {
        if (executor.isShutdown()) {
            return; // stopped leading or closing: the interrupted reconcile is the next leader's to redo
        }
        metrics.reconcileError();
        Duration delay = backoff(key);
        LOG.atWarn().setMessage("reconcile failed; will retry").addKeyValue("namespace", key.namespace())
                .addKeyValue("service", key.name()).addKeyValue("retryIn", delay.toMillis() + "ms")
                .addKeyValue("reason", reason).log();
        later(key, delay);
    }

    private Duration backoff(Key key) {
        int n = failures.merge(key, 1, Integer::sum);
        long ms = MIN_BACKOFF.toMillis() << Math.min(n - 1, 10);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
