package dev.teal.gateway.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.config.UpstreamSettings;
import dev.teal.gateway.listener.Transport;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.LoopConnectionPool;
import dev.teal.gateway.upstream.LoopPools;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drain's "never early" rule on real event loops: a request that read the old routing snapshot but has not yet
 * been counted on its color (its event loop is still inside that task) keeps the drain open, because the drain may end
 * only after a task has run on every event loop since the switch.
 */
class DrainBarrierTest {
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private EventLoopGroup loops;
    private LoopPools loopPools;

    @BeforeEach
    void start() {
        Transport t = Transport.best();
        loops = t.newGroup(3, "barrier-test");
        List<LoopConnectionPool> pools = new ArrayList<>();
        for (EventExecutor e : loops) {
            pools.add(new LoopConnectionPool((EventLoop) e, t.socketChannel(), new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                }
            }, Duration.ofSeconds(1), Duration.ofSeconds(60), 0));
        }
        loopPools = new LoopPools(pools);
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        metrics.close();
    }

    private void schedulerIdle() throws Exception {
        scheduler.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void requestRoutedByTheOldSnapshotButNotYetCountedKeepsTheDrainOpen() throws Exception {
        ColorPool blue = new ColorPool("shop", "blue", UpstreamSettings.DEFAULTS, metrics);
        ColorPool green = new ColorPool("shop", "green", UpstreamSettings.DEFAULTS, metrics);
        DrainTracker drains = new DrainTracker("shop", metrics, scheduler, which -> { }, ColorPool::drainEnded);
        blue.whenIdle(drains::inflightReachedZero);

        // an event loop has read the snapshot that routes to blue and is about to count the request
        CountDownLatch routed = new CountDownLatch(1);
        CountDownLatch count = new CountDownLatch(1);
        EventLoop loop = loopPools.all().get(1).loop();
        loop.execute(() -> {
            routed.countDown();
            try {
                count.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            blue.requestStarted();
        });
        routed.await(5, TimeUnit.SECONDS);

        // the switch is published now, while blue's count is still 0
        CompletableFuture<Void> published = loopPools.barrier();
        drains.switched(blue, green, Duration.ofSeconds(30), published);
        schedulerIdle();
        assertThat(published).isNotDone();
        assertThat(drains.last()).as("no drain may end before every loop has run a task").isNull();
        assertThat(drains.inProgress()).extracting(Drain::color).containsExactly("blue");

        count.countDown(); // the request is counted; then the loop runs the barrier's task
        await().atMost(Duration.ofSeconds(5)).until(published::isDone);
        schedulerIdle();
        assertThat(drains.last()).as("the counted request still runs on blue").isNull();
        assertThat(blue.inflight()).isEqualTo(1);

        loop.execute(blue::requestEnded); // the request ends: the count reaching zero ends the drain, no polling
        await().atMost(Duration.ofSeconds(5)).until(() -> drains.last() != null);
        assertThat(drains.last().result()).isEqualTo(Drain.Result.DRAINED);
        assertThat(drains.inProgress()).isEmpty();
    }

    @Test
    void drainOfAnIdleColorEndsOnceEveryLoopHasRunATask() throws Exception {
        ColorPool blue = new ColorPool("shop", "blue", UpstreamSettings.DEFAULTS, metrics);
        ColorPool green = new ColorPool("shop", "green", UpstreamSettings.DEFAULTS, metrics);
        DrainTracker drains = new DrainTracker("shop", metrics, scheduler, which -> { }, ColorPool::drainEnded);
        drains.switched(blue, green, Duration.ofSeconds(30), loopPools.barrier());
        await().atMost(Duration.ofSeconds(5)).until(() -> drains.last() != null);
        assertThat(drains.last().result()).isEqualTo(Drain.Result.DRAINED);
    }
}
