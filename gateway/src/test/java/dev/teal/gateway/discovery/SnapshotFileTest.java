package dev.teal.gateway.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.contract.ConfigException;
import dev.teal.contract.HealthCheck;
import dev.teal.contract.HostPort;
import dev.teal.gateway.config.PathType;
import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.config.Routes;
import dev.teal.gateway.config.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot file's format on a real disk: what it writes, what it reads back, and files older gateways wrote. */
class SnapshotFileTest {
    /** Written by the gateway before the file was bound to records (hand-built JSON, pretty-printed). */
    private static final String HAND_BUILT = """
            {
              "savedAt" : "2026-11-20T10:00:00.123Z",
              "services" : {
                "shop.default" : {
                  "hosts" : [ "shop.example.com" ],
                  "active" : "green",
                  "drainTimeout" : "45s",
                  "maxBodySize" : 1048576,
                  "maxInflight" : 100,
                  "healthCheck" : {
                    "path" : "/healthz",
                    "interval" : "3s",
                    "timeout" : "500ms",
                    "unhealthyThreshold" : 3,
                    "healthyThreshold" : 2
                  },
                  "colors" : {
                    "blue" : [ "10.0.0.1:8080" ],
                    "green" : [ "10.0.0.2:8080", "[fd00::2]:8080" ]
                  },
                  "kubernetes" : {
                    "namespace" : "default",
                    "service" : "shop",
                    "servingAnnotation" : "green",
                    "resourceVersion" : "42"
                  }
                }
              },
              "routes" : [ {
                "host" : "shop.example.com",
                "path" : "/api",
                "pathType" : "Prefix",
                "service" : "shop.default"
              } ],
              "defaultService" : null,
              "sslRedirectHosts" : [ "shop.example.com" ]
            }
            """;

    /** Written before routes (and per-service settings) existed: services route by their hosts. */
    private static final String BEFORE_ROUTES = """
            {"savedAt":"2026-10-01T00:00:00Z","services":{"cart.shop":{"hosts":["cart.example.com"],
             "active":"blue","colors":{"blue":["10.0.1.1:80"],"green":[]}}}}
            """;

    @TempDir
    Path dir;

    @Test
    void readsAFileTheHandBuiltFormatWrote() throws Exception {
        Path path = dir.resolve("old.json");
        Files.writeString(path, HAND_BUILT);

        ServiceMapBuilder.Result r = new SnapshotFile(path).load();

        ServiceConfig shop = r.services().get("shop.default");
        assertThat(shop).isEqualTo(new ServiceConfig("shop.default", List.of("shop.example.com"), "green",
                Duration.ofSeconds(45), 1_048_576, 100,
                new HealthCheck("/healthz", Duration.ofSeconds(3), Duration.ofMillis(500), 3, 2),
                Map.of("blue", List.of(HostPort.parse("10.0.0.1:8080")),
                        "green", List.of(HostPort.parse("10.0.0.2:8080"), HostPort.parse("[fd00::2]:8080")))));
        assertThat(r.origins()).containsExactly(Map.entry("shop.default",
                new ServiceMapBuilder.Origin("default", "shop", "green", "42")));
        assertThat(r.routes().rules()).containsExactly(new RouteRule("shop.example.com", "/api", PathType.PREFIX,
                "shop.default"));
        assertThat(r.routes().defaultService()).isNull();
        assertThat(r.routes().sslRedirectHosts()).containsExactly("shop.example.com");
    }

    @Test
    void readsAFileWrittenBeforeRoutesWithTheDefaultsForWhatItLacks() throws Exception {
        Path path = dir.resolve("older.json");
        Files.writeString(path, BEFORE_ROUTES);

        ServiceMapBuilder.Result r = new SnapshotFile(path).load();

        ServiceConfig cart = r.services().get("cart.shop");
        assertThat(cart.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(cart.maxBodySize()).isZero();
        assertThat(cart.maxInflight()).isZero();
        assertThat(cart.healthCheck()).isNull();
        assertThat(cart.colors()).containsEntry("green", List.of());
        assertThat(r.origins()).isEmpty();
        assertThat(r.routes().rules()).as("routed by the service's hosts").extracting(RouteRule::host)
                .containsExactly("cart.example.com");
    }

    @Test
    void writesTheSameFieldsItReadsAndReadsBackWhatItWrote() throws Exception {
        Path old = dir.resolve("old.json");
        Files.writeString(old, HAND_BUILT);
        ServiceMapBuilder.Result before = new SnapshotFile(old).load();
        SnapshotFile file = new SnapshotFile(dir.resolve("new.json"));

        file.save(before, Instant.parse("2026-11-20T10:00:00.123Z"));

        assertThat(Files.readString(file.path()).replaceAll("\\s", ""))
                .isEqualTo(HAND_BUILT.replaceAll("\\s", ""));
        ServiceMapBuilder.Result after = file.load();
        assertThat(after.services()).isEqualTo(before.services());
        assertThat(after.origins()).isEqualTo(before.origins());
        assertThat(after.routes()).isEqualTo(before.routes());
    }

    @Test
    void aServiceWithoutHealthCheckOrOriginIsWrittenWithoutThem() throws Exception {
        SnapshotFile file = new SnapshotFile(dir.resolve("snap.json"));
        ServiceConfig plain = new ServiceConfig("web.ns", List.of(), "blue", Duration.ofSeconds(30), 0, 0, null,
                Map.of("blue", List.of(HostPort.parse("10.0.0.9:80"))));

        file.save(new ServiceMapBuilder.Result(Map.of("web.ns", plain), new Routes(List.of(), "web.ns"), Map.of()),
                Instant.now());

        assertThat(Files.readString(file.path())).doesNotContain("healthCheck", "kubernetes")
                .contains("\"defaultService\" : \"web.ns\"");
        assertThat(file.load().services().get("web.ns")).isEqualTo(plain);
    }

    @Test
    void aFileThatIsNotASnapshotIsRefusedWithItsPath() throws Exception {
        Path path = dir.resolve("bad.json");
        Files.writeString(path, "{\"services\": [1, 2]}");

        assertThatThrownBy(() -> new SnapshotFile(path).load()).isInstanceOf(ConfigException.class)
                .hasMessageContaining(path.toString());
    }
}
