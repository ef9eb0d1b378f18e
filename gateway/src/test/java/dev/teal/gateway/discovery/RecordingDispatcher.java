package dev.teal.gateway.discovery;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every request the mock API server receives, then hands it to the CRUD store. The mock checks no
 * permission at all, so the record is what the RBAC tests check instead: who sent which call.
 */
final class RecordingDispatcher extends Dispatcher {
    private static final String BEARER = "Bearer ";
    private final Dispatcher delegate;
    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();

    RecordingDispatcher(Dispatcher delegate) {
        this.delegate = delegate;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        calls.add(toCall(request));
        return delegate.dispatch(request);
    }

    static ApiCall toCall(RecordedRequest request) {
        String auth = request.getHeader("Authorization");
        String identity = auth != null && auth.startsWith(BEARER) ? auth.substring(BEARER.length()) : "anonymous";
        String target = request.getPath();
        int q = target.indexOf('?');
        return new ApiCall(identity, request.getMethod(), q < 0 ? target : target.substring(0, q),
                q < 0 ? "" : target.substring(q + 1));
    }

    List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void shutdown() {
        // the store outlives a stop(): the restarted server serves the same objects
    }
}
