package dev.teal.gateway.upstream;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

    public List<LoopConnectionPool> all() {
        return all;
    }
}
