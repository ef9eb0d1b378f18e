package dev.teal.controller.election;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Competes for the Lease {@code namespace/name} as {@code identity}; calls {@code onStart} when this instance becomes
 * leader and {@code onStop} when it stops being leader. After losing the Lease it competes again, as a standby.
 */
public final class LeaderElection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

    /**
     * Lease timings.
     *
     * @param leaseDuration how long a Lease holds without renewal: a standby takes over at most this long after
     *                      the leader is lost
     * @param renewDeadline the leader gives up leading when it could not renew for this long (less than the lease)
     * @param retryPeriod   how often candidates try to acquire and the leader renews
     * @param release       release the Lease on close (fast handover on a clean shutdown)
     */
    public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, boolean release) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofSeconds(2), true);

        public Timing {
            if (renewDeadline.compareTo(leaseDuration) >= 0 || retryPeriod.compareTo(renewDeadline) >= 0) {
                throw new IllegalArgumentException("need retryPeriod < renewDeadline < leaseDuration");
            }
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Timing timing;
    private final Runnable onStart;
    private final Runnable onStop;
    private final ExecutorService executor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean leading = new AtomicBoolean();
    private volatile CompletableFuture<?> round;

    public LeaderElection(KubernetesClient client, String namespace, String name, String identity, Timing timing,
                          Runnable onStart, Runnable onStop) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.timing = timing;
        this.onStart = onStart;
        this.onStop = onStop;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "teal-leader-election");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts competing; returns at once. */
    public LeaderElection start() {
        nextRound();
        return this;
    }

    public boolean isLeader() {
        return leading.get();
    }

    private void nextRound() {
        if (closed.get()) {
            return;
        }
        LeaderElector elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
                .withName(name)
                .withLock(new LeaseLock(namespace, name, identity))
                .withLeaseDuration(timing.leaseDuration())
                .withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod())
                .withReleaseOnCancel(timing.release())
                .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
                .build(), executor);
        CompletableFuture<?> f = elector.start();
        round = f;
        f.whenComplete((ok, error) -> {
            if (!closed.get()) {
                LOG.atInfo().setMessage("election round ended; competing again").addKeyValue("identity", identity)
                        .log();
                nextRound();
            }
        });
    }

    private void started() {
        leading.set(true);
        LOG.atInfo().setMessage("became leader").addKeyValue("identity", identity)
                .addKeyValue("lease", namespace + "/" + name).log();
        onStart.run();
    }

    private void stopped() {
        if (leading.getAndSet(false)) {
            LOG.atInfo().setMessage("stopped leading").addKeyValue("identity", identity).log();
            onStop.run();
        }
    }

    private void newLeader(String who) {
        if (who == null) {
            return; // the Lease was released
        }
        LOG.atInfo().setMessage("leader is " + who).addKeyValue("identity", identity).addKeyValue("leader", who)
                .log();
    }

    /** Stops competing; releases the Lease if {@link Timing#release()} says so; stops leading. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        CompletableFuture<?> f = round;
        if (f != null) {
            f.cancel(true);
        }
        stopped();
        executor.shutdownNow();
    }
}
