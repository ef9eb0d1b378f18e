package dev.teal.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.BuildInfo;
import dev.teal.gateway.Gateway;
import dev.teal.gateway.config.ConfigFile;
import dev.teal.gateway.config.ConfigFileWatcher;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.testing.GatewayFixture;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /version}, {@code /config}, {@code POST /reload}, the build-info gauge and the switch source in /status. */
class OperatorEndpointsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TEMPLATE = """
            listen: 127.0.0.1:0
            admin: 127.0.0.1:0
            timeouts: {connect: %s}
            services:
              shop:
                active: %s
                colors:
                  blue:  [${blue}]
                  green: [${green}]
            """;

    @TempDir
    Path dir;
    private GatewayFixture f;
    private Path file;

    @AfterEach
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    /**
     * Starts the gateway the way Main does with --config: from the file, with the watcher's reload as the reload path
     * (not watching, so that each change is applied by the call under test and not by the watch thread).
     */
    private Gateway startFromFile(String connect, String active) throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        file = dir.resolve("teal.yaml");
        write(connect, active);
        ConfigFile cfg = ConfigFile.read(file);
        Gateway g = f.track(Gateway.start(cfg));
        ConfigFileWatcher watcher = f.track(ConfigFileWatcher.onRequestOnly(cfg.path(), cfg.content(), g::apply,
                g::rejected));
        g.reloadWith(watcher::reload);
        return g;
    }

    private void write(String connect, String active) throws Exception {
        Files.writeString(file, f.yaml(TEMPLATE.formatted(connect, active)));
    }

    private JsonNode adminJson(Gateway g, String path) throws Exception {
        return JSON.readTree(get(g, path).body());
    }

    private HttpResponse<String> get(Gateway g, String path) throws Exception {
        return f.http().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + g.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String served(Gateway g) throws Exception {
        return f.http().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + g.proxyPort() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> post(Gateway g, String path) throws Exception {
        return f.http().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + g.adminPort() + path))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void versionEndpointAndBuildInfoGaugeShowTheBuild() throws Exception {
        Gateway g = startFromFile("2s", "blue");
        JsonNode v = adminJson(g, "/version");
        BuildInfo b = BuildInfo.current();
        assertThat(v.get("version").asString()).isEqualTo(b.version()).isNotEqualTo("unknown");
        assertThat(v.get("revision").asString()).isEqualTo(b.revision()).doesNotContain("${");
        assertThat(v.get("java").asString()).isEqualTo(System.getProperty("java.version"));
        String metrics = get(g, "/metrics").body();
        assertThat(metrics).contains("# HELP teal_build_info ")
                .contains("teal_build_info{java=\"" + b.java() + "\",revision=\"" + b.revision() + "\",version=\""
                        + b.version() + "\",} 1.0");
    }

    @Test
    void configEndpointShowsTheSourceAndEveryDefaultAsAValidConfigFile() throws Exception {
        Gateway g = startFromFile("1500ms", "blue");
        JsonNode n = adminJson(g, "/config");
        assertThat(n.get("source").asString()).isEqualTo("file: " + file.toAbsolutePath());
        JsonNode c = n.get("config");
        assertThat(c.get("timeouts").get("connect").asString()).isEqualTo("1500ms");
        assertThat(c.get("timeouts").get("response").asString()).isEqualTo("30s");
        assertThat(c.get("services").get("shop").get("drainTimeout").asString()).isEqualTo("30s");
        assertThat(c.get("services").get("shop").get("hosts")).isEmpty();
        assertThat(c.get("limits").get("maxHeaders").asInt()).isPositive();
        // what /config shows parses back into exactly the running configuration
        GatewayConfig reparsed = ConfigParser.parse(JSON.writeValueAsString(c));
        assertThat(reparsed).isEqualTo(g.config());
    }

    @Test
    void configEndpointShowsRoutesAndMetricsOptionsAndParsesBackIntoTheRunningConfiguration() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        file = dir.resolve("teal.yaml");
        Files.writeString(file, f.yaml("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                metrics: {fineLatencyBuckets: true}
                services:
                  shop:
                    hosts: [shop.example.com]
                    active: blue
                    colors: {blue: [${blue}]}
                  api:
                    active: green
                    colors: {green: [${green}]}
                routes:
                  - {host: shop.example.com, path: /api, pathType: Prefix, service: api}
                  - {path: /health, pathType: Exact, service: shop}
                """));
        Gateway g = f.track(Gateway.start(ConfigFile.read(file)));
        JsonNode c = adminJson(g, "/config").get("config");
        assertThat(c.get("metrics").get("fineLatencyBuckets").asBoolean()).isTrue();
        assertThat(c.get("metrics").get("endpointSeries").asBoolean()).isFalse();
        // the explicit routes only: shop's hosts entry stands for its own rule and is not repeated
        assertThat(c.get("routes")).hasSize(2);
        assertThat(c.get("routes").get(0).get("path").asString()).isEqualTo("/api");
        assertThat(c.get("routes").get(1).has("host")).isFalse();
        assertThat(c.get("routes").get(1).get("pathType").asString()).isEqualTo("Exact");
        GatewayConfig reparsed = ConfigParser.parse(JSON.writeValueAsString(c));
        assertThat(reparsed).isEqualTo(g.config());
        assertThat(reparsed.routes()).isEqualTo(g.config().routes());
    }

    @Test
    void configEndpointNamesAnInProcessOrEmbeddedSource() throws Exception {
        f = GatewayFixture.blueGreen("");
        assertThat(adminJson(f.gateway(), "/config").get("source").asString()).isEqualTo("in-process");
        assertThat(ConfigFile.embedded().source()).isEqualTo("embedded default");
    }

    @Test
    void reloadAnswersWithWhatChangedOrWithTheErrorsAndKeepsTheRunningState() throws Exception {
        Gateway g = startFromFile("2s", "blue");
        HttpResponse<String> same = post(g, "/reload");
        assertThat(same.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(same.body()).get("changed")).isEmpty();

        write("3s", "green");
        HttpResponse<String> changed = post(g, "/reload");
        assertThat(changed.statusCode()).isEqualTo(200);
        JsonNode c = JSON.readTree(changed.body());
        assertThat(c.get("result").asString()).isEqualTo("applied");
        assertThat(c.get("changed").toString()).isEqualTo("[\"timeouts\",\"services.shop.active\"]");
        assertThat(served(g)).isEqualTo("green\n");

        Files.writeString(file, "services: {shop: {active: purple, colors: {blue: [127.0.0.1:1]}}}");
        HttpResponse<String> bad = post(g, "/reload");
        assertThat(bad.statusCode()).isEqualTo(422);
        JsonNode b = JSON.readTree(bad.body());
        assertThat(b.get("result").asString()).isEqualTo("rejected");
        assertThat(b.get("errors").get(0).asString()).contains("not one of the colors");
        assertThat(served(g)).isEqualTo("green\n");
        assertThat(adminJson(g, "/config").get("config").get("timeouts").get("connect").asString()).isEqualTo("3s");

        Files.delete(file);
        HttpResponse<String> gone = post(g, "/reload");
        assertThat(gone.statusCode()).isEqualTo(422);
        assertThat(gone.body()).contains("config file does not exist: " + file.toAbsolutePath());
        assertThat(get(g, "/reload").statusCode()).isEqualTo(405);
    }

    @Test
    void reloadWithoutAFileIsAConflict() throws Exception {
        f = GatewayFixture.blueGreen("");
        HttpResponse<String> r = post(f.gateway(), "/reload");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(r.body()).get("result").asString()).isEqualTo("not reloadable");
    }

    @Test
    void restartOnlyKeyIsNamedInTheReloadAnswer() throws Exception {
        Gateway g = startFromFile("2s", "blue");
        Files.writeString(file, f.yaml(TEMPLATE.formatted("2s", "blue")) + "workers: 3\n");
        JsonNode r = JSON.readTree(post(g, "/reload").body());
        assertThat(r.get("changed").toString()).isEqualTo("[\"workers\"]");
        assertThat(r.get("notes").get(0).asString()).startsWith("workers changed; it takes effect only after a restart");
    }

    /** An admin switch holds until the file's active changes; /status says who chose and what the file says. */
    @Test
    void adminSwitchOverridesTheFileUntilItsActiveChanges() throws Exception {
        Gateway g = startFromFile("2s", "blue");
        JsonNode shop = adminJson(g, "/status").get("services").get("shop");
        assertThat(shop.get("source").asString()).isEqualTo("config");
        assertThat(shop.has("configActive")).isFalse();

        assertThat(post(g, "/services/shop/switch?to=green").statusCode()).isEqualTo(200);
        shop = adminJson(g, "/status").get("services").get("shop");
        assertThat(shop.get("serving").asString()).isEqualTo("green");
        assertThat(shop.get("source").asString()).isEqualTo("admin");
        assertThat(shop.get("configActive").asString()).isEqualTo("blue");

        write("3s", "blue"); // another change; active stays blue: the admin switch holds
        assertThat(post(g, "/reload").statusCode()).isEqualTo(200);
        assertThat(served(g)).isEqualTo("green\n");
        assertThat(adminJson(g, "/status").get("services").get("shop").get("source").asString()).isEqualTo("admin");

        write("3s", "green"); // the file's active changes: the file wins again
        assertThat(post(g, "/reload").statusCode()).isEqualTo(200);
        shop = adminJson(g, "/status").get("services").get("shop");
        assertThat(shop.get("serving").asString()).isEqualTo("green");
        assertThat(shop.get("source").asString()).isEqualTo("config");
        assertThat(shop.has("configActive")).isFalse();
    }
}
