package dev.teal.gateway.discovery;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;

/**
 * The fabric8 mock API server in CRUD mode, on 127.0.0.1, that can be stopped (an outage: connections refused) and
 * started again on the same port with the objects it held, so clients and informers reconnect to it. If another
 * process takes the port meanwhile, {@link #start()} fails loudly rather than testing something else.
 *
 * <p>Every request it receives is recorded ({@link #calls()}), across restarts, with the identity of the client that
 * sent it: give each component its own client ({@link #client(String)}) and the record says who did what, which is
 * what the chart's RBAC is checked against (the mock itself allows everything).
 */
public final class RestartableApiServer implements AutoCloseable {
    private final RecordingDispatcher store = new RecordingDispatcher(new KubernetesCrudDispatcher());
    private KubernetesMockServer server;
    private int port;

    public RestartableApiServer() {
        start();
    }

    /** (Re)starts on the port of the first start. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        KubernetesMockServer s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), store,
                false);
        s.init(InetAddress.getLoopbackAddress(), port);
        port = s.getPort();
        server = s;
    }

    /** Stops answering: the port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    public int port() {
        return port;
    }

    /** A new client of this server (works across restarts: same URL); its calls are recorded as "anonymous". */
    public synchronized KubernetesClient client() {
        return server.createClient();
    }

    /**
     * A new client that sends {@code identity} as its bearer token, as a pod sends its ServiceAccount token; its
     * calls are recorded under that identity.
     */
    public synchronized KubernetesClient client(String identity) {
        Config config;
        try (KubernetesClient plain = server.createClient()) {
            config = new ConfigBuilder(plain.getConfiguration()).withOauthToken(identity).build();
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Every request received so far, in order. */
    public List<ApiCall> calls() {
        return store.calls();
    }

    @Override
    public void close() {
        stop();
    }
}
