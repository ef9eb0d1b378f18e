package dev.teal.controller.cutover;

import dev.teal.gateway.config.HostPort;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Asks gateway replicas' admin {@code GET /status} what they serve (the JSON in docs/SEAMS.md). */
public final class ReplicaProbe implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final Duration timeout;

    public ReplicaProbe(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Asks every replica at once; each answer arrives within the timeout. */
    public List<ReplicaAnswer> ask(List<HostPort> replicas, String serviceKey) {
        List<CompletableFuture<ReplicaAnswer>> pending = replicas.stream().map(r -> ask(r, serviceKey)).toList();
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private CompletableFuture<ReplicaAnswer> ask(HostPort replica, String serviceKey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + replica + "/status"))
                .timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> read(replica, serviceKey, response))
                .exceptionally(e -> ReplicaAnswer.failed(replica, "unreachable (" + reason(e) + ")"));
    }

    static ReplicaAnswer read(HostPort replica, String serviceKey, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return ReplicaAnswer.failed(replica, "answered " + response.statusCode() + " to GET /status");
        }
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (JacksonException e) {
            return ReplicaAnswer.failed(replica, "answered GET /status with something that is not JSON");
        }
        JsonNode service = root.path("services").path(serviceKey);
        if (!service.isObject()) {
            return new ReplicaAnswer(replica, null, null, null);
        }
        String serving = service.path("serving").asString(null);
        JsonNode drain = service.path("drain");
        String draining = drain.isObject() ? drain.path("color").asString("?") : null;
        return new ReplicaAnswer(replica, null, serving, draining);
    }

    private static String reason(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        return cause.getClass().getSimpleName();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient gained close() only in Java 21; its threads are daemons and end with the JVM
    }
}
