package dev.teal.controller.cutover;

import dev.teal.contract.HostPort;
import dev.teal.contract.status.DrainStatus;
import dev.teal.contract.status.ServiceStatus;
import dev.teal.contract.status.StatusDocument;
import dev.teal.contract.status.StatusJson;
import dev.teal.contract.status.WindowStatus;
import java.util.HashMap;
import java.util.Map;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;

/**
 * Asks gateway replicas' admin {@code GET /status?service=KEY} what they serve for one service (a {@link StatusDocument}
 * holding that service only). At most {@code concurrency} replicas are asked at once; each answer has
 * {@code timeout} from the moment its request starts, so a slow or dead replica costs one slot for at most that long
 * and never holds up the others.
 */
public final class ReplicaProbe implements AutoCloseable {
    /** Replicas asked at once unless told otherwise. */
    public static final int DEFAULT_CONCURRENCY = 16;

    private final HttpClient http;
    private final Duration timeout;
    private final int concurrency;

    public ReplicaProbe(Duration timeout) {
        this(timeout, DEFAULT_CONCURRENCY);
    }

    /**
     * @param timeout     per replica: connect, request and the whole answer
     * @param concurrency replicas asked at once (at least 1)
     */
    public ReplicaProbe(Duration timeout, int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
        }
        this.timeout = timeout;
        this.concurrency = concurrency;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Asks every replica, {@code concurrency} at a time; returns within about
     * {@code ceil(replicas / concurrency) * timeout} at worst, one answer per replica in the order given.
     */
    public List<ReplicaAnswer> ask(List<HostPort> replicas, String serviceKey) {
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<ReplicaAnswer>> pending = new ArrayList<>(replicas.size());
        try {
            for (HostPort r : replicas) {
                slots.acquire();
                CompletableFuture<ReplicaAnswer> answer = ask(r, serviceKey);
                answer.whenComplete((a, e) -> slots.release());
                pending.add(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.forEach(p -> p.cancel(true));
        }
        List<ReplicaAnswer> out = new ArrayList<>(replicas.size());
        for (int i = 0; i < replicas.size(); i++) {
            HostPort r = replicas.get(i);
            out.add(i < pending.size() ? pending.get(i).exceptionally(e -> ReplicaAnswer.failed(r, "not asked")).join()
                    : ReplicaAnswer.failed(r, "not asked"));
        }
        return out;
    }

    private CompletableFuture<ReplicaAnswer> ask(HostPort replica, String serviceKey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + replica + "/status?service="
                        + URLEncoder.encode(serviceKey, StandardCharsets.UTF_8)))
                .timeout(timeout).GET().build();
        CompletableFuture<HttpResponse<String>> sent = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        // the request timeout ends at the response head; this bounds the body too (a replica that stalls mid-answer)
        return sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(response -> read(replica, serviceKey, response))
                .exceptionally(e -> {
                    sent.cancel(true);
                    return ReplicaAnswer.failed(replica, "unreachable (" + reason(e) + ")");
                });
    }

    static ReplicaAnswer read(HostPort replica, String serviceKey, HttpResponse<String> response) {
        if (response.statusCode() == 404 && response.body().contains("unknown service")) {
            return new ReplicaAnswer(replica, null, null, null); // routes other services, not this one (yet)
        }
        if (response.statusCode() != 200) {
            return ReplicaAnswer.failed(replica, "answered " + response.statusCode() + " to GET /status");
        }
        StatusDocument document;
        try {
            document = StatusJson.read(response.body());
        } catch (JacksonException e) {
            return ReplicaAnswer.failed(replica, "answered GET /status with something that is not JSON");
        }
        // a gateway older than ?service= answers every service: the lookup by key works on either document
        ServiceStatus service = document.service(serviceKey);
        if (service == null) {
            return new ReplicaAnswer(replica, null, null, null);
        }
        DrainStatus drain = service.drain();
        String draining = drain == null ? null : drain.color() == null ? "?" : drain.color();
        Map<String, WindowStatus> windows = new HashMap<>();
        service.colors().forEach((color, c) -> {
            if (c != null && c.window() != null) {
                windows.put(color, c.window());
            }
        });
        return new ReplicaAnswer(replica, null, service.serving(), draining, windows);
    }

    private static String reason(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
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
