package dev.teal.gateway.drain;

import dev.teal.gateway.upstream.ColorPool;
import java.time.Instant;

/** One drain of one color. Immutable except for its end, which is set once. */
public final class Drain {
    /** How a drain ended: the label values of {@code teal_cutovers_total{result}}. */
    public enum Result {
        DRAINED("drained"), DRAIN_TIMEOUT("drain_timeout"), SUPERSEDED("superseded");

        private final String label;

        Result(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final ColorPool pool;
    private final String to;
    private final Instant startedAt;
    private final Instant deadline;
    private final long startNanos;
    private final boolean sticky;
    private volatile Result result;
    private volatile Instant endedAt;
    private volatile int closed;
    /** Set by the tracker once every event loop has run a task after the switch: until then it cannot be drained. */
    volatile boolean published;
    java.util.concurrent.ScheduledFuture<?> timeout;

    Drain(ColorPool pool, String to, Instant startedAt, Instant deadline, long startNanos, boolean sticky) {
        this.sticky = sticky;
        this.pool = pool;
        this.to = to;
        this.startedAt = startedAt;
        this.deadline = deadline;
        this.startNanos = startNanos;
    }

    public String color() {
        return pool.color();
    }

    public String to() {
        return to;
    }

    ColorPool pool() {
        return pool;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant deadline() {
        return deadline;
    }

    long startNanos() {
        return startNanos;
    }

    long timeoutNanos() {
        return java.time.Duration.between(startedAt, deadline).toNanos();
    }

    /**
     * The service's sticky window: requests carrying this color's {@code teal-v} cookie still come here, and the
     * drain lasts until its deadline.
     */
    public boolean sticky() {
        return sticky;
    }

    /** Requests the sticky window sent to this color since the drain started. */
    public long stickyRequests() {
        return pool.stickyRequests();
    }

    public int inflight() {
        return pool.inflight();
    }

    public int connections() {
        return pool.openConnections();
    }

    public Result result() {
        return result;
    }

    public Instant endedAt() {
        return endedAt;
    }

    /** Requests or connections that were still open at the timeout and were closed. */
    public int closed() {
        return closed;
    }

    boolean isOpen() {
        return result == null;
    }

    void end(Result r, int closedCount) {
        this.closed = closedCount;
        this.endedAt = Instant.now();
        this.result = r;
    }
}
