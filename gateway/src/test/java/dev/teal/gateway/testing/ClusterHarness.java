package dev.teal.gateway.testing;

import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.demo.DemoBackend;
import dev.teal.gateway.discovery.ClusterGateway;
import dev.teal.gateway.discovery.RestartableApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up the gateway's cluster-mode tests share: a recording mock API server and a client to it, real gateways in
 * cluster mode and real backends on 127.0.0.1, all closed in reverse order after each test: declare it as a
 * {@code @RegisterExtension} field.
 */
public final class ClusterHarness implements AutoCloseable, AfterEachCallback {
    /** A gateway with listeners on port 0 and no services of its own: the cluster gives them. */
    public static final GatewayConfig BASE =
            ConfigParser.parse("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nservices: {}\n");

    public final RestartableApiServer api = new RestartableApiServer();
    public final KubernetesClient client = api.client();
    public final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    /** Closes {@code c} when the test ends, before what was registered earlier. */
    public <T extends AutoCloseable> T closeLater(T c) {
        closeLater.add(c);
        return c;
    }

    /** A gateway in cluster mode following {@code namespace} (null: every namespace) through {@code k}. */
    public ClusterGateway start(KubernetesClient k, String namespace, Path snapshot, Duration syncTimeout)
            throws InterruptedException {
        return closeLater(ClusterGateway.start(k, new ClusterGateway.Settings(BASE, namespace, "teal", null, snapshot,
                syncTimeout)));
    }

    /** A backend answering with {@code name}, on a free port of 127.0.0.1. */
    public DemoBackend backend(String name) throws InterruptedException {
        return closeLater(DemoBackend.start(name, 0));
    }

    /** {@code GET path} on the gateway's admin listener. */
    public HttpResponse<String> admin(ClusterGateway gw, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.gateway().adminPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    @Override
    public void close() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
        client.close();
        api.close();
    }
}
