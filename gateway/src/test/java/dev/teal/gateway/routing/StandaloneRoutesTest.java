package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.contract.ConfigException;
import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.ConfigFileWatcher;
import dev.teal.gateway.config.PathType;
import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code routes:} in the file, through a real gateway: the same matcher as cluster mode. */
class StandaloneRoutesTest {
    static final String YAML = """
            listen: 127.0.0.1:0
            admin: 127.0.0.1:0
            services:
              web:
                hosts: [shop.local]
                active: blue
                colors:
                  blue: [${web-blue}]
                  green: [${web-green}]
              api:
                active: blue
                colors:
                  blue: [${api}]
              fallback:
                active: blue
                colors:
                  blue: [${fallback}]
            routes:
              - {host: shop.local, path: /api, pathType: Prefix, service: api}
              - {host: shop.local, path: /web-only, pathType: Exact, service: web}
              - {host: '*.apps.local', path: /, service: api}
            """;

    @TempDir
    Path dir;
    final GatewayFixture f = new GatewayFixture();

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void routesAndHostsShareOneTableAndAServiceNoRouteNamesIsTheDefault() throws Exception {
        startAll();
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop.local").text()).isEqualTo("web-blue\n");
            assertThat(c.get("/api/orders?id=1", "shop.local").text()).isEqualTo("api\n");
            assertThat(c.get("/apiary", "shop.local").text()).as("element-wise").isEqualTo("web-blue\n");
            assertThat(c.get("/x", "team.apps.local").text()).isEqualTo("api\n");
            assertThat(c.get("/x", "a.team.apps.local").text()).as("one label only").isEqualTo("fallback\n");
            assertThat(c.get("/", "unknown.local").text()).isEqualTo("fallback\n");
        }
        assertThat(ConfigParser.parse(f.yaml(YAML)).routes().rules()).contains(
                RouteRule.wholeHost("shop.local", "web"),
                new RouteRule("*.apps.local", "/", PathType.PREFIX, "api"));
    }

    @Test
    void aSwitchOfOneServiceLeavesTheOtherRoutesOfTheHostAlone() throws Exception {
        startAll();
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop.local").text()).isEqualTo("web-blue\n");
            assertThat(f.switchTo("web", "green").statusCode()).isEqualTo(200);
            assertThat(c.get("/", "shop.local").text()).as("same connection").isEqualTo("web-green\n");
            assertThat(c.get("/api", "shop.local").text()).isEqualTo("api\n");
            assertThat(f.gateway().router().current().ruleCount()).isEqualTo(4);
        }
    }

    @Test
    void reloadWithABadRouteIsRejectedWholeAndTheRunningRoutesKept() throws Exception {
        startAll();
        Path file = dir.resolve("teal.yaml");
        Files.writeString(file, f.yaml(YAML));
        ConfigFileWatcher watcher = f.track(new ConfigFileWatcher(file, Files.readAllBytes(file), f.gateway()::apply,
                f.gateway()::rejected));
        Files.writeString(file, f.yaml(YAML.replace("path: /api,", "path: '/api/.*',")));
        watcher.check();
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/api/x", "shop.local").text()).isEqualTo("api\n");
        }
        assertThat(f.gateway().metrics().scrape()).contains("teal_config_reloads_total{result=\"rejected\",} 1.0");
    }

    @Test
    void badRoutesInTheFileNameTheirPlace() {
        String base = "services: {a: {hosts: [a.local], active: b, colors: {b: []}}}\n";
        assertError(base + "routes: [{path: api, service: a}]", "routes[0]: path 'api' must start with '/'");
        assertError(base + "routes: [{path: '/api/*', service: a}]", "routes[0]: path '/api/*': '*' is not allowed");
        assertError(base + "routes: [{path: /x, pathType: Regex, service: a}]",
                "routes[0].pathType: unknown pathType 'Regex'");
        assertError(base + "routes: [{path: /x, service: b}]", "routes[0].service: no service 'b'");
        assertError(base + "routes: [{path: /x, service: a, weight: 1}]", "routes[0].weight: unknown key");
        assertError(base + "routes: [{host: a.local, path: /, service: a}]", "is routed already");
        assertError(base + "routes: [{host: '*', path: /, service: a}]", "routes[0].host: '*' is not a valid host");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigParser.parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    private void startAll() throws Exception {
        f.backend("web-blue", "web-blue");
        f.backend("web-green", "web-green");
        f.backend("api", "api");
        f.backend("fallback", "fallback");
        f.start(YAML);
    }
}
