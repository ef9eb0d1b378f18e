package dev.teal.controller.cutover;

import dev.teal.contract.HostPort;
import dev.teal.contract.status.ColorStatus;
import dev.teal.contract.status.ServiceStatus;
import dev.teal.contract.status.StatusDocument;
import dev.teal.contract.status.StatusJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.core.JacksonException;

/**
 * The second switch gate of a front Service with {@code teal.dev/health-path}: every gateway replica's own active
 * health checks must find at least {@code needed} usable (healthy, not ejected) endpoints of the target color, read
 * from each replica's admin {@code GET /status} ({@code services.<key>.colors.<color>.endpoints[]}). Gateways check
 * every color they know, so the target is checked before anything switches to it.
 */
public final class HealthGate {
    /** Whether the gate is open, and a message naming what it still waits for. */
    public record Result(boolean open, String message) {
    }

    private final GatewayReplicas replicas;
    private final HttpClient http;
    private final Duration timeout;

    public HealthGate(GatewayReplicas replicas, Duration timeout) {
        this.replicas = replicas;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public Result check(String serviceKey, String color, int needed) {
        List<HostPort> found = replicas.find();
        if (found.isEmpty()) {
            return new Result(false, "no gateway replica found in " + replicas.source());
        }
        List<CompletableFuture<String>> asks = found.stream().map(r -> ask(r, serviceKey, color, needed)).toList();
        List<String> waiting = new ArrayList<>();
        for (CompletableFuture<String> ask : asks) {
            String problem = ask.join();
            if (problem != null) {
                waiting.add(problem);
            }
        }
        int passed = found.size() - waiting.size();
        String summary = passed + "/" + found.size() + " gateway replicas' health checks find " + needed
                + " usable endpoints of " + color;
        return waiting.isEmpty() ? new Result(true, summary)
                : new Result(false, summary + "; " + String.join("; ", waiting));
    }

    /** Null when the replica finds enough usable endpoints, else a few words saying why not. */
    private CompletableFuture<String> ask(HostPort replica, String serviceKey, String color, int needed) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + replica + "/status")).timeout(timeout)
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> read(replica, r, serviceKey, color, needed))
                .exceptionally(e -> replica + " unreachable");
    }

    static String read(HostPort replica, HttpResponse<String> response, String serviceKey, String color,
                       int needed) {
        if (response.statusCode() != 200) {
            return replica + " answered " + response.statusCode();
        }
        StatusDocument document;
        try {
            document = StatusJson.read(response.body());
        } catch (JacksonException e) {
            return replica + " answered something that is not JSON";
        }
        ServiceStatus service = document.service(serviceKey);
        ColorStatus found = service == null ? null : service.color(color);
        int usable = found == null ? 0 : found.usableEndpoints();
        int all = found == null ? 0 : found.endpoints().size();
        return usable >= needed ? null : replica + " finds " + usable + "/" + all + " usable";
    }
}
