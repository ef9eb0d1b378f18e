package dev.teal.controller.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.teal.contract.HostPort;
import dev.teal.controller.cluster.ClusterClient;
import dev.teal.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's confirmation of one cutover across a fleet of 200 gateway replicas: each replica is a tiny HTTP
 * server on 127.0.0.1 answering {@code GET /status?service=KEY} as a gateway does; the replicas are found through the
 * admin Service's EndpointSlices in the mock API server (CRUD), as in a cluster.
 */
@EnableKubernetesMockClient(crud = true)
class ReplicaFleetConfirmationTest {
    static final String GW_NS = "teal-system";
    static final String ADMIN = "teal-gateway-admin";
    static final String KEY = "shop.shop-ns";
    static final int FLEET = 200;
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    KubernetesClient client;
    final List<FakeReplica> fleet = new ArrayList<>();
    final AtomicInteger inflight = new AtomicInteger();
    final AtomicInteger maxInflight = new AtomicInteger();
    final Queue<String> queries = new ConcurrentLinkedQueue<>();
    final CountDownLatch releaseSlow = new CountDownLatch(1);

    @AfterEach
    void stopFleet() {
        releaseSlow.countDown();
        fleet.parallelStream().forEach(FakeReplica::close);
    }

    @Test
    void confirmationAsksOnlyForItsServiceSixteenReplicasAtATime() {
        for (int i = 0; i < FLEET; i++) {
            fleet.add(new FakeReplica(Behaviour.SERVES_GREEN));
        }
        CutoverConfirmer confirmer = confirmer(fleet.stream().map(FakeReplica::port).toList());

        long t0 = System.nanoTime();
        Confirmation c = confirmer.confirm(KEY, "green", false);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("bench: confirmation of one cutover on %d replicas (16 at a time): %d ms%n", FLEET, millis);

        assertThat(c.complete()).isTrue();
        assertThat(c.message()).isEqualTo(FLEET + "/" + FLEET + " gateway replicas confirmed green");
        assertThat(queries).hasSize(FLEET).allMatch(q -> q.equals("service=" + KEY));
        assertThat(maxInflight.get()).as("replicas asked at once").isBetween(2, ReplicaProbe.DEFAULT_CONCURRENCY);
    }

    @Test
    void slowAndDeadReplicasAreNamedWithoutHoldingUpTheOthers() {
        FakeReplica slow = new FakeReplica(Behaviour.NEVER_ANSWERS);
        fleet.add(slow);
        for (int i = 1; i < FLEET; i++) {
            fleet.add(new FakeReplica(Behaviour.SERVES_GREEN));
        }
        List<Integer> ports = new ArrayList<>(fleet.stream().map(FakeReplica::port).toList());
        int dead = closedPort();
        ports.add(dead);
        CutoverConfirmer confirmer = confirmer(ports);

        long t0 = System.nanoTime();
        Confirmation c = confirmer.confirm(KEY, "green", false);
        System.out.printf("bench: confirmation on %d replicas with one slow (timeout %s) and one dead: %d ms%n",
                ports.size(), TIMEOUT, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

        assertThat(c.complete()).isFalse();
        assertThat(c.replicas()).isEqualTo(FLEET + 1);
        assertThat(c.confirmed()).as("every other replica confirmed").isEqualTo(FLEET - 1);
        assertThat(c.message()).contains("127.0.0.1:" + slow.port() + " unreachable (timed out)")
                .contains("127.0.0.1:" + dead + " unreachable (connection refused)")
                .doesNotContain("and 1 more");
        // the slow replica held one slot for its whole timeout; every other replica had its answer before that ended
        long slowAsked = slow.firstRequestNanos();
        long deadline = slowAsked + TIMEOUT.toNanos();
        for (FakeReplica r : fleet.subList(1, fleet.size())) {
            assertThat(r.answeredNanos()).as("replica %s answered before the slow one timed out", r.port())
                    .isPositive().isLessThan(deadline);
        }
        assertThat(maxInflight.get()).isLessThanOrEqualTo(ReplicaProbe.DEFAULT_CONCURRENCY);
    }

    @Test
    void replicaThatDoesNotRouteTheServiceIsWaitedForAndAnOlderFullStatusIsStillRead() {
        FakeReplica unknown = new FakeReplica(Behaviour.UNKNOWN_SERVICE);
        FakeReplica older = new FakeReplica(Behaviour.WHOLE_STATUS_DRAINING);
        fleet.add(unknown);
        fleet.add(older);

        Confirmation c = confirmer(List.of(unknown.port(), older.port())).confirm(KEY, "green", false);

        assertThat(c.complete()).isFalse();
        assertThat(c.serving()).as("the older replica's whole /status was read for the one key").isEqualTo(1);
        assertThat(c.message()).contains("127.0.0.1:" + unknown.port() + " does not know the service yet")
                .contains("127.0.0.1:" + older.port() + " serves green, draining blue");
    }

    private CutoverConfirmer confirmer(List<Integer> ports) {
        for (int port : ports) {
            ClusterObjects.slice(client, GW_NS, ADMIN, ADMIN + "-" + port, port, "admin", List.of("127.0.0.1"),
                    List.of());
        }
        ClusterClient cluster = new ClusterClient(client, Clock.systemUTC(), "test");
        GatewayReplicas replicas = new GatewayReplicas(cluster, GW_NS, ADMIN, 9901);
        assertThat(replicas.find()).hasSize(ports.size()).allMatch(h -> h.equals(new HostPort("127.0.0.1", h.port())));
        return new CutoverConfirmer(replicas, new ReplicaProbe(TIMEOUT));
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    enum Behaviour { SERVES_GREEN, NEVER_ANSWERS, UNKNOWN_SERVICE, WHOLE_STATUS_DRAINING }

    /** One gateway replica's admin listener, as small as it can be. */
    final class FakeReplica implements AutoCloseable {
        private final HttpServer server;
        private volatile long firstRequestNanos;
        private volatile long answeredNanos;

        FakeReplica(Behaviour behaviour) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/status", ex -> handle(ex, behaviour));
            server.start();
        }

        private void handle(HttpExchange ex, Behaviour behaviour) throws IOException {
            if (firstRequestNanos == 0) {
                firstRequestNanos = System.nanoTime();
            }
            String query = ex.getRequestURI().getRawQuery();
            queries.add(String.valueOf(query));
            int now = inflight.incrementAndGet();
            maxInflight.accumulateAndGet(now, Math::max);
            try {
                switch (behaviour) {
                    case NEVER_ANSWERS -> {
                        inflight.decrementAndGet(); // holds no slot of the count: the probe gave it up at its timeout
                        await(releaseSlow);
                        return;
                    }
                    case UNKNOWN_SERVICE -> answer(ex, 404, "{\"error\":\"unknown service '" + KEY + "'\"}");
                    case WHOLE_STATUS_DRAINING -> answer(ex, 200, "{\"ready\":true,\"mode\":\"kubernetes\",\"services\":{"
                            + "\"other.shop-ns\":" + service("blue", null) + ",\"" + KEY + "\":"
                            + service("green", "blue") + "}}");
                    default -> {
                        // a replica's own work, so that answers overlap and the probe's concurrency shows
                        Thread.sleep(10);
                        answer(ex, 200, "{\"ready\":true,\"mode\":\"kubernetes\",\"services\":{\"" + KEY + "\":"
                                + service("green", null) + "}}");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (behaviour != Behaviour.NEVER_ANSWERS) {
                    inflight.decrementAndGet();
                }
            }
        }

        private void answer(HttpExchange ex, int status, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            answeredNanos = System.nanoTime();
        }

        private static String service(String serving, String draining) {
            return "{\"serving\":\"" + serving + "\",\"servingSince\":\"2026-01-01T00:00:00Z\",\"switches\":1,"
                    + "\"colors\":{},\"drain\":" + (draining == null ? "null" : "{\"color\":\"" + draining + "\"}")
                    + "}";
        }

        private static void await(CountDownLatch latch) throws InterruptedException {
            latch.await(60, TimeUnit.SECONDS);
        }

        int port() {
            return server.getAddress().getPort();
        }

        long firstRequestNanos() {
            return firstRequestNanos;
        }

        long answeredNanos() {
            return answeredNanos;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
