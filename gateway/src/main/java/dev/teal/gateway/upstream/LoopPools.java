package dev.teal.gateway.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** The {@link LoopConnectionPool} of every event loop; fixed at start. */
public final class LoopPools {
    private final Map<EventExecutor, LoopConnectionPool> byLoop = new IdentityHashMap<>();
    private final List<LoopConnectionPool> all;

    public LoopPools(List<LoopConnectionPool> pools) {
        this.all = List.copyOf(pools);
        for (LoopConnectionPool p : pools) {
            byLoop.put(p.loop(), p);
        }
    }

    public LoopConnectionPool forLoop(EventLoop loop) {
        LoopConnectionPool p = byLoop.get(loop);
        if (p == null) {
            throw new IllegalStateException("no connection pool for " + loop);
        }
        return p;
    }

    /** Closes, on each loop, the idle connections of the endpoints that match. */
    public void closeIdleEverywhere(Predicate<Endpoint> which) {
        for (LoopConnectionPool p : all) {
            p.loop().execute(() -> p.closeIdle(which));
        }
    }

    /**
     * Connects to each endpoint in parallel (spread over the loops, never blocking one); completes with true as soon
     * as one accepts, with false when all have failed or {@code timeout} has passed.
     */
    public CompletableFuture<Boolean> anyAccepts(List<InetSocketAddress> endpoints, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        if (endpoints.isEmpty()) {
            result.complete(false);
            return result;
        }
        AtomicInteger left = new AtomicInteger(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            LoopConnectionPool p = all.get(i % all.size());
            InetSocketAddress a = endpoints.get(i);
            try {
                p.loop().execute(() -> p.probe(a, timeout).addListener(f -> {
                    if (f.isSuccess()) {
                        result.complete(true);
                    } else if (left.decrementAndGet() == 0) {
                        result.complete(false);
                    }
                }));
            } catch (RejectedExecutionException e) {
                result.complete(false);
            }
        }
        return result.completeOnTimeout(false, timeout.toMillis() + 50, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens, on every loop, connections to the endpoints of {@code to} (as many as {@code from} has open there, at
     * most {@code capPerLoop}); completes when every loop is done or after {@code bound}, whichever comes first.
     */
    public CompletableFuture<Void> warm(ColorPool from, Endpoint[] to, int capPerLoop, Duration bound) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(all.size());
        for (LoopConnectionPool p : all) {
            Runnable done = () -> {
                if (left.decrementAndGet() == 0) {
                    result.complete(null);
                }
            };
            try {
                p.loop().execute(() -> p.warm(from, to, capPerLoop, done));
            } catch (RejectedExecutionException e) {
                done.run();
            }
        }
        return result.completeOnTimeout(null, bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Completes once a task has run on every loop: whatever a loop was doing when this was called (routing a request
     * by an older snapshot, say) has finished by then.
     */
    public CompletableFuture<Void> barrier() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        AtomicInteger left = new AtomicInteger(all.size());
        for (LoopConnectionPool p : all) {
            Runnable done = () -> {
                if (left.decrementAndGet() == 0) {
                    result.complete(null);
                }
            };
            try {
                p.loop().execute(done);
            } catch (RejectedExecutionException e) {
                done.run(); // the loop is shut down: it routes nothing any more
            }
        }
        return result;
    }

    public List<LoopConnectionPool> all() {
        return all;
    }
}
