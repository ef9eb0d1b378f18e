package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.teal.controller.metrics.ControllerMetrics;
import dev.teal.controller.reconcile.Phase;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dashboard and the alerts query only metrics that really exist. Gateway metrics: the
 * built gateway jar runs as a process (standalone mode, on the chart's rendered global
 * settings plus one service whose colors are two tiny HTTP backends of this test), serves
 * requests, a 5xx, a switch and a drain that hits its timeout; then its /metrics is scraped.
 * Controller metrics (teal_controller_*): the controller's own {@link ControllerMetrics} records a
 * cutover of each result, time in each phase, a reconcile error, leadership and a Service's
 * current phase, and its real Prometheus exposition is scraped.
 */
class MonitoringMetricNamesTest {
    private static final Path GATEWAY_JAR = Path.of("..", "gateway", "target", "teal-gateway.jar");
    private static final Pattern TEAL_NAME = Pattern.compile("\\bteal_[a-z0-9_]+\\b");
    private static final Pattern HISTOGRAM_SERIES = Pattern.compile("(.+)_(bucket|count|sum)");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch releaseSlow = new CountDownLatch(1);
    private final CountDownLatch slowArrived = new CountDownLatch(1);
    private final ExecutorService backendThreads = Executors.newCachedThreadPool();
    private HttpServer blue;
    private HttpServer green;
    private Process gateway;
    private Path workDir;

    @AfterEach
    void stopEverything() throws InterruptedException {
        releaseSlow.countDown();
        if (gateway != null) {
            gateway.destroy(); // SIGTERM: the gateway's graceful shutdown (preStopDelay 0s here)
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
        for (HttpServer server : new HttpServer[] {blue, green}) {
            if (server != null) {
                server.stop(0);
            }
        }
        backendThreads.shutdownNow();
        if (workDir != null) {
            TealChart.deleteRecursively(workDir);
        }
    }

    @Test
    void dashboardAndAlertsUseOnlyMetricsTheGatewayAndControllerExport() throws Exception {
        assumeTrue(Files.isRegularFile(GATEWAY_JAR),
                "gateway jar absent (" + GATEWAY_JAR.toAbsolutePath().normalize() + "): build with -pl charts -am");
        Set<String> used = usedMetricNames();
        assertThat(used).contains("teal_serving_color", "teal_requests_seconds_bucket", "teal_controller_cutover_phase");

        Scrape scrape = scrapeAfterTrafficSwitchAndDrainTimeout();

        Scrape controller = controllerScrape();
        Set<String> missing = new TreeSet<>();
        for (String name : used) {
            boolean exported = name.startsWith("teal_controller_") ? controller.exports(name) : scrape.exports(name);
            if (!exported) {
                missing.add(name);
            }
        }
        assertThat(missing).as("metric names in the dashboard or alerts that nothing exports; scraped: %s and %s",
                scrape.families(), controller.families()).isEmpty();
        assertThat(controller.text()).containsPattern("teal_controller_cutover_phase\\{[^}]*phase=\"Draining\"");

        // the label values the alerts match on, as the gateway writes them
        assertThat(scrape.text()).containsPattern("teal_requests_seconds_count\\{[^}]*status=\"5xx\"")
                .containsPattern("teal_cutovers_total\\{[^}]*result=\"drain_timeout\"")
                .containsPattern("teal_serving_color\\{[^}]*color=\"green\"[^}]*\\} 1\\.0")
                .containsPattern("teal_inflight_requests\\{[^}]*color=\"blue\"")
                .containsPattern("teal_preview_requests_total\\{[^}]*color=\"green\"")
                .containsPattern("teal_sticky_requests_total\\{[^}]*color=\"blue\"");
    }

    /** The real controller meters, each written once, as the controller's /metrics exposes them. */
    private static Scrape controllerScrape() {
        ControllerMetrics metrics = new ControllerMetrics();
        for (ControllerMetrics.Result r : ControllerMetrics.Result.values()) {
            metrics.cutover(r);
        }
        for (Phase p : Phase.values()) {
            metrics.phaseEnded(p, Duration.ofMillis(1200));
        }
        metrics.reconcileError();
        metrics.leader(true);
        metrics.currentPhase("shop-ns", "shop", Phase.Draining);
        return Scrape.parse(metrics.scrape());
    }

    /** Every teal_* name in the dashboard's queries and the PrometheusRule's expressions. */
    static Set<String> usedMetricNames() throws IOException {
        Set<String> names = new TreeSet<>(namesIn(Files.readString(TealChart.DIR.resolve("dashboards/teal.json")), "teal_"));
        for (Map<String, Object> rule : AlertRulesTest.rules()) {
            names.addAll(namesIn((String) rule.get("expr"), "teal_"));
        }
        return names;
    }

    private static Set<String> namesIn(String text, String prefix) {
        Set<String> names = new TreeSet<>();
        Matcher m = TEAL_NAME.matcher(text);
        while (m.find()) {
            if (m.group().startsWith(prefix)) {
                names.add(m.group());
            }
        }
        return names;
    }

    record Scrape(String text, Map<String, String> types, Set<String> samples) {
        static Scrape parse(String text) {
            Map<String, String> types = new HashMap<>();
            Set<String> samples = new TreeSet<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.split(" ");
                    types.put(parts[2], parts[3]);
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    samples.add(line.split("[{ ]", 2)[0]);
                }
            }
            return new Scrape(text, types, samples);
        }

        /** A sample name the scrape holds, or a _bucket/_count/_sum series of a histogram in it. */
        boolean exports(String name) {
            Matcher m = HISTOGRAM_SERIES.matcher(name);
            return samples.contains(name) || (m.matches() && "histogram".equals(types.get(m.group(1))));
        }

        Set<String> families() {
            return new TreeSet<>(types.keySet());
        }
    }

    private Scrape scrapeAfterTrafficSwitchAndDrainTimeout() throws Exception {
        blue = backend("blue");
        green = backend("green");
        workDir = Files.createTempDirectory("teal-gateway");
        Path config = workDir.resolve("teal.yaml");
        Files.writeString(config, gatewayConfig());
        Path log = workDir.resolve("gateway.log");
        gateway = new ProcessBuilder("java", "-jar", GATEWAY_JAR.toAbsolutePath().toString(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();

        // both listeners bind port 0; the gateway logs the ports it got
        String started = await("gateway started").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .failFast("gateway exited; log:\n" + log, () -> !gateway.isAlive())
                .until(() -> Files.readString(log), text -> text.contains("gateway started"));
        int listen = boundPort(started, "listen");
        String adminUrl = "http://127.0.0.1:" + boundPort(started, "admin");
        await("gateway ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(adminUrl + "/readyz") == 200);

        String proxy = "http://127.0.0.1:" + listen;
        for (int i = 0; i < 5; i++) {
            assertThat(get(proxy + "/").body()).isEqualTo("blue");
        }
        assertThat(get(proxy + "/fail").statusCode()).isEqualTo(500);
        assertThat(client.send(request(proxy + "/").header("X-Teal-Color", "green").build(),
                HttpResponse.BodyHandlers.ofString()).body()).as("a preview of green").isEqualTo("green");
        // one request stays in flight on blue, so the drain after the switch hits its timeout
        var slow = client.sendAsync(request(proxy + "/slow").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(slowArrived.await(10, TimeUnit.SECONDS)).as("slow request reached blue").isTrue();

        var switched = client.send(request(adminUrl + "/services/shop/switch?to=green")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(switched.statusCode()).as("switch answer %s", switched.body()).isEqualTo(200);
        // inside the sticky window (the drain of blue, held open by the slow request): the old cookie stays on blue
        assertThat(client.send(request(proxy + "/").header("Cookie", "teal-v=blue").build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("blue");
        for (int i = 0; i < 5; i++) {
            assertThat(get(proxy + "/").body()).isEqualTo("green");
        }
        await("drain of blue ends by timeout").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(adminUrl + "/metrics").body().contains("result=\"drain_timeout\""));
        slow.cancel(true);
        return Scrape.parse(get(adminUrl + "/metrics").body());
    }

    private static int boundPort(String log, String key) {
        Matcher m = Pattern.compile(key + "=\"?127\\.0\\.0\\.1:(\\d+)").matcher(log);
        assertThat(m.find()).as("%s address in the log: %s", key, log).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** The chart's rendered gateway.yaml, on loopback port 0, plus the one service of this test. */
    private String gatewayConfig() {
        String rendered = TealChart.render().get(ConfigMap.class, "teal-gateway").getData().get("gateway.yaml");
        ObjectNode config = (ObjectNode) TealChart.YAML.readTree(rendered);
        config.put("listen", "127.0.0.1:0");
        config.put("admin", "127.0.0.1:0");
        ((ObjectNode) config.get("shutdown")).put("preStopDelay", "0s");
        ObjectNode shop = config.putObject("services").putObject("shop");
        shop.put("active", "blue");
        shop.put("drainTimeout", "3s");
        shop.put("preview", true);
        shop.put("sticky", true);
        ObjectNode colors = shop.putObject("colors");
        colors.putArray("blue").add("127.0.0.1:" + blue.getAddress().getPort());
        colors.putArray("green").add("127.0.0.1:" + green.getAddress().getPort());
        return TealChart.YAML.writeValueAsString(config);
    }

    private HttpServer backend(String color) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(backendThreads);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/slow")) {
                slowArrived.countDown();
                awaitRelease();
            }
            respond(exchange, path.equals("/fail") ? 500 : 200, color);
        });
        server.start();
        return server;
    }

    private void awaitRelease() {
        try {
            releaseSlow.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException closedByGateway) {
            // the drain timeout closes the slow request's connection: expected
        }
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(request(url).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
