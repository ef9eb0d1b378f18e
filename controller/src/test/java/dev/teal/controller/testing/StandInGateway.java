package dev.teal.controller.testing;

import com.sun.net.httpserver.HttpServer;
import dev.teal.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for one gateway replica's admin listener: {@code GET /status} answers the JSON of docs/SEAMS.md for the
 * services the test sets. Binds 127.0.0.1 on a free port.
 */
public final class StandInGateway implements AutoCloseable {
    private record State(String serving, String draining) {
    }

    private final HttpServer server;
    private final Map<String, State> services = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public StandInGateway() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/status", ex -> {
            requests.incrementAndGet();
            byte[] body = json().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The gateway admin Service's slice: one ready endpoint per stand-in, all on 127.0.0.1 (one slice per port). */
    public static void publish(KubernetesClient client, String namespace, String adminService,
                               StandInGateway... replicas) {
        for (StandInGateway g : replicas) {
            ClusterObjects.slice(client, namespace, adminService, adminService + "-" + g.port(), g.port(), "admin",
                    List.of("127.0.0.1"), List.of());
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** This replica serves {@code color} for {@code serviceKey} and drains {@code draining} (null: no drain). */
    public StandInGateway serve(String serviceKey, String color, String draining) {
        services.put(serviceKey, new State(color, draining));
        return this;
    }

    public StandInGateway forget(String serviceKey) {
        services.remove(serviceKey);
        return this;
    }

    public int requests() {
        return requests.get();
    }

    private String json() {
        StringBuilder sb = new StringBuilder("{\"ready\":true,\"mode\":\"kubernetes\",\"services\":{");
        String sep = "";
        for (Map.Entry<String, State> e : services.entrySet()) {
            State s = e.getValue();
            int dot = e.getKey().indexOf('.');
            sb.append(sep).append('"').append(e.getKey()).append("\":{\"serving\":\"").append(s.serving())
                    .append("\",\"servingSince\":\"2026-01-01T00:00:00Z\",\"switches\":1,\"colors\":{},")
                    .append("\"drain\":")
                    .append(s.draining() == null ? "null" : "{\"color\":\"" + s.draining()
                            + "\",\"startedAt\":\"2026-01-01T00:00:00Z\",\"deadline\":\"2026-01-01T00:00:30Z\","
                            + "\"inflight\":2,\"connections\":2}")
                    .append(",\"kubernetes\":{\"namespace\":\"").append(e.getKey().substring(dot + 1))
                    .append("\",\"service\":\"").append(e.getKey(), 0, dot)
                    .append("\",\"servingAnnotation\":\"").append(s.serving()).append("\"}}");
            sep = ",";
        }
        return sb.append("}}").toString();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
        }
    }
}
