package dev.teal.gateway.testing;

import dev.teal.gateway.Gateway;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.demo.DemoBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real backends and a real gateway on 127.0.0.1 for one test. The YAML template may name backends as
 * {@code ${blue}} (their address), which {@link #backend} started first.
 */
public final class GatewayFixture implements AutoCloseable {
    private final Map<String, DemoBackend> backends = new LinkedHashMap<>();
    private final List<AutoCloseable> others = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Gateway gateway;

    /** Starts a backend answering with {@code color}; the key names it in the YAML as {@code ${key}}. */
    public DemoBackend backend(String key, String color) throws InterruptedException {
        DemoBackend b = DemoBackend.start(color, 0);
        backends.put(key, b);
        return b;
    }

    public DemoBackend backend(String key) {
        return backends.get(key);
    }

    /** Closed with the fixture. */
    public <T extends AutoCloseable> T track(T resource) {
        others.add(resource);
        return resource;
    }

    public String yaml(String template) {
        String y = template;
        for (Map.Entry<String, DemoBackend> e : backends.entrySet()) {
            y = y.replace("${" + e.getKey() + "}", e.getValue().address());
        }
        return y;
    }

    /**
     * The usual set-up: backends {@code blue} and {@code green} and a gateway whose default service {@code shop}
     * serves blue, with {@code shopSettings} (YAML keys of the service, one per line, or "") added to it.
     */
    public static GatewayFixture blueGreen(String shopSettings) throws InterruptedException {
        GatewayFixture f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        StringBuilder extra = new StringBuilder();
        shopSettings.lines().forEach(l -> extra.append("    ").append(l).append('\n'));
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                services:
                  shop:
                    active: blue
                %s    colors:
                      blue:  [${blue}]
                      green: [${green}]
                """.formatted(extra));
        return f;
    }

    public Gateway start(String yamlTemplate) throws InterruptedException {
        gateway = Gateway.start(ConfigParser.parse(yaml(yamlTemplate)));
        return gateway;
    }

    public Gateway gateway() {
        return gateway;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + gateway.proxyPort() + path);
    }

    public URI admin(String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    public HttpClient http() {
        return http;
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> adminGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> adminPost(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(admin(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Switches through the admin API and returns the answer. */
    public HttpResponse<String> switchTo(String service, String color) throws Exception {
        return adminPost("/services/" + service + "/switch?to=" + color);
    }

    @Override
    public void close() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (AutoCloseable c : others) {
            c.close();
        }
        for (DemoBackend b : backends.values()) {
            b.close();
        }
    }
}
