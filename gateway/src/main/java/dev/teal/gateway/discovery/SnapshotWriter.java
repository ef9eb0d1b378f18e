package dev.teal.gateway.discovery;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the latest service map to disk off the discovery thread, at most once per {@code minInterval}: a change is
 * written at once when the last write is older than that, else once the interval has passed, and every change that
 * arrived meanwhile is folded into that one write (the newest wins). {@link #offer} never waits for the disk.
 * {@link #close} writes what is still pending, so a graceful stop leaves the newest state.
 *
 * @param <T> what is written (the discovery's service map)
 */
public final class SnapshotWriter<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotWriter.class);

    /** Writes one snapshot whole (see {@link SnapshotFile#save}); throwing keeps the file as it was. */
    @FunctionalInterface
    public interface Sink<T> {
        void write(T snapshot) throws IOException;
    }

    private final Sink<T> sink;
    private final long minIntervalNanos;
    private final String what;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private T pending;
    private boolean scheduled;
    private boolean closed;
    private long lastWriteNanos;
    private boolean written;

    /**
     * @param what        names the file in log lines
     * @param minInterval the shortest time between two writes (1 s for the snapshot file)
     */
    public SnapshotWriter(Sink<T> sink, Duration minInterval, String what) {
        this.sink = Objects.requireNonNull(sink);
        this.minIntervalNanos = minInterval.toNanos();
        this.what = what;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "teal-snapshot-writer");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() writes the pending one itself
    }

    /** Hands over the newest snapshot; returns at once. */
    public synchronized void offer(T snapshot) {
        if (closed) {
            return;
        }
        pending = Objects.requireNonNull(snapshot);
        if (scheduled) {
            return; // the write already due picks this one up
        }
        scheduled = true;
        long wait = written ? Math.max(0, lastWriteNanos + minIntervalNanos - System.nanoTime()) : 0;
        executor.schedule(this::writePending, wait, TimeUnit.NANOSECONDS);
    }

    /** Snapshots written so far. */
    public long writes() {
        return writes.get();
    }

    /** Writes that failed (each logged). */
    public long failures() {
        return failures.get();
    }

    private void writePending() {
        T next;
        synchronized (this) {
            scheduled = false;
            next = pending;
            pending = null;
            if (next == null) {
                return;
            }
            // set before the write: a change that arrives while the disk is busy waits a whole interval from here
            lastWriteNanos = System.nanoTime();
            written = true;
        }
        write(next);
    }

    private void write(T next) {
        try {
            sink.write(next);
            writes.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.atWarn().addKeyValue("file", what).addKeyValue("error", String.valueOf(e.getMessage()))
                    .log("cannot write the snapshot file; routing is not affected");
        }
    }

    /** Writes what is pending (on the caller's thread, after any write in progress) and stops. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.atWarn().addKeyValue("file", what).log("snapshot write still running at stop");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        T last;
        synchronized (this) {
            last = pending;
            pending = null;
        }
        if (last != null) {
            write(last);
        }
    }
}
