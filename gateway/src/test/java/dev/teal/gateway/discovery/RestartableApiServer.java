package dev.teal.gateway.discovery;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * The fabric8 mock API server in CRUD mode, on 127.0.0.1, that can be stopped (an outage: connections refused) and
 * started again on the same port with the objects it held, so clients and informers reconnect to it. If another
 * process takes the port meanwhile, {@link #start()} fails loudly rather than testing something else.
 */
public final class RestartableApiServer implements AutoCloseable {
    private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
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

    /** A new client of this server (works across restarts: same URL). */
    public synchronized KubernetesClient client() {
        return server.createClient();
    }

    @Override
    public void close() {
        stop();
    }
}
