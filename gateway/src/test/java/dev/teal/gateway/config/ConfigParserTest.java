package dev.teal.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.contract.BackendProtocol;
import dev.teal.contract.ConfigException;
import dev.teal.contract.HealthCheck;
import dev.teal.contract.HostPort;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

    @Test
    void contractExampleParsesIntoTypedRecords() {
        GatewayConfig c = ConfigParser.parse("""
                listen: 0.0.0.0:8080          # proxy listener
                admin: 127.0.0.1:9901
                services:
                  shop:
                    hosts: [shop.example.com]
                    active: blue
                    drainTimeout: 30s
                    colors:
                      blue:  [127.0.0.1:9001, 127.0.0.1:9002]
                      green: [127.0.0.1:9101]
                """);
        assertThat(c.listen()).isEqualTo(new HostPort("0.0.0.0", 8080));
        ServiceConfig shop = c.services().get("shop");
        assertThat(shop.hosts()).containsExactly("shop.example.com");
        assertThat(shop.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(shop.colors().get("blue")).containsExactly(HostPort.parse("127.0.0.1:9001"), HostPort.parse("127.0.0.1:9002"));
    }

    /** Every default as the README's configuration table documents it (not copied from the code's constants). */
    @Test
    void omittedKeysTakeTheDocumentedDefaults() {
        GatewayConfig c = ConfigParser.parse("""
                services:
                  shop:
                    active: blue
                    healthCheck: {path: /healthz}
                    colors:
                      blue: [127.0.0.1:9001]
                """);
        assertThat(c.admin()).isEqualTo(new HostPort("127.0.0.1", 9901));
        assertThat(c.workers()).isZero();
        assertThat(c.accessLog()).isFalse();
        assertThat(c.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30)));
        assertThat(c.limits()).isEqualTo(new Limits(8 * 1024, 64 * 1024, 100, 0));
        assertThat(c.upstream()).isEqualTo(new UpstreamSettings(0, 3, Duration.ofSeconds(10), 50));
        assertThat(c.shutdown()).isEqualTo(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(30)));
        assertThat(c.trustedProxies()).isEmpty();
        ServiceConfig shop = c.services().get("shop");
        assertThat(shop.hosts()).isEmpty();
        assertThat(shop.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(shop.maxBodySize()).isZero();
        assertThat(shop.maxInflight()).isZero();
        assertThat(shop.healthCheck()).isEqualTo(new HealthCheck("/healthz", Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 1));
    }

    @Test
    void everyOptionalSectionParses() {
        GatewayConfig c = ConfigParser.parse("""
                listen: 127.0.0.1:0
                admin: "[::1]:9901"
                workers: 1
                accessLog: true
                timeouts: {connect: 500ms, response: 1m, clientIdle: 2m, upstreamIdle: 10s, header: 5s, body: 20s}
                limits: {maxRequestLine: 4KiB, maxHeaderBytes: 32KiB, maxHeaders: 50, maxConnections: 1000}
                upstream: {maxConnectionsPerEndpoint: 64, ejectAfterFailures: 5, ejectionTime: 1m, maxEjectedPercent: 30}
                shutdown: {preStopDelay: 5s, timeout: 20s}
                trustedProxies: [10.0.0.0/8, "::1"]
                services:
                  api:
                    active: green
                    maxBodySize: 1MiB
                    maxInflight: 100
                    healthCheck: {path: /ready, interval: 5s}
                    colors: {blue: [], green: ["10.1.2.3:80"]}
                """);
        assertThat(c.admin()).isEqualTo(new HostPort("::1", 9901));
        assertThat(c.timeouts().connect()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.limits().maxRequestLine()).isEqualTo(4096);
        assertThat(c.upstream().maxEjectedPercent()).isEqualTo(30);
        assertThat(c.shutdown().preStopDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.trustedProxies()).hasSize(2);
        ServiceConfig api = c.services().get("api");
        assertThat(api.isDefault()).isTrue();
        assertThat(api.maxBodySize()).isEqualTo(1024 * 1024);
        assertThat(api.healthCheck().path()).isEqualTo("/ready");
        assertThat(api.healthCheck().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(api.colors().get("blue")).isEmpty();
    }

    @Test
    void errorsNameThePathAndTheReason() {
        assertError("services: {shop: {active: blue, colors: {blue: ['127.0.0.1:x']}}}",
                "services.shop.colors.blue[0]: '127.0.0.1:x' has no numeric port");
        assertError("services: {shop: {active: purple, colors: {blue: []}}}",
                "services.shop: active: 'purple' is not one of the colors [blue]");
        assertError("services: {shop: {active: blue, drainTimeout: 30, colors: {blue: []}}}",
                "services.shop.drainTimeout: '30' is not a duration");
        assertError("services: {shop: {active: blue, colours: {blue: []}}}",
                "services.shop.colours: unknown key");
        assertError("timeouts: {conect: 1s}\nservices: {}", "timeouts.conect: unknown key");
        assertError("services: {shop: {active: Blue, colors: {Blue: []}}}",
                "services.shop.colors.Blue: 'Blue' is not a valid color name");
        assertError("services: {a: {hosts: [x.com], active: b, colors: {b: []}}, c: {hosts: [X.com], active: b, colors: {b: []}}}",
                "host 'x.com' belongs to both 'a' and 'c'");
        assertError("services: {a: {active: b, colors: {b: []}}, c: {active: b, colors: {b: []}}}",
                "only one service may have no hosts");
        assertError("listen: 127.0.0.1:9901\nadmin: 127.0.0.1:9901\nservices: {}", "admin must not be the proxy listener");
        assertError("services: [1, 2]", "services: expected a mapping");
        assertError("listen: [oops\nservices: {}", "not valid YAML");
        assertError("", "the file is empty");
        assertError("workers: 1000\nservices: {}", "workers: expected a whole number within 0..256");
        assertError("services: {shop: {active: b, healthCheck: {path: 'no-slash'}, colors: {b: []}}}",
                "healthCheck.path must start with '/'");
    }

    @Test
    void previewAndStickyAreOffByDefaultAndParseInBothForms() {
        GatewayConfig c = ConfigParser.parse("""
                services:
                  a: {hosts: [a.com], active: b, colors: {b: []}}
                  p: {hosts: [p.com], active: b, preview: true, sticky: true, colors: {b: []}}
                  q: {hosts: [q.com], active: b, preview: {from: ['10.1.0.0/16']}, colors: {b: []}}
                  r: {hosts: [r.com], active: b, preview: false, colors: {b: []}}
                """);
        assertThat(c.services().get("a").preview()).isNull();
        assertThat(c.services().get("a").sticky()).isFalse();
        assertThat(c.services().get("p").preview()).isEqualTo(dev.teal.contract.Preview.DEFAULTS);
        assertThat(c.services().get("p").sticky()).isTrue();
        assertThat(c.services().get("q").preview().header()).isEqualTo("x-teal-color");
        assertThat(c.services().get("q").preview().cookie()).isEqualTo("teal-color");
        assertThat(c.services().get("q").preview().from()).containsExactly("10.1.0.0/16");
        assertThat(c.services().get("r").preview()).isNull();
    }

    @Test
    void diffNamesPreviewAndSticky() {
        GatewayConfig a = ConfigParser.parse("services: {shop: {active: b, colors: {b: []}}}");
        GatewayConfig b = ConfigParser.parse("services: {shop: {active: b, preview: true, sticky: true, colors: {b: []}}}");
        assertThat(ConfigDiff.between(a, b)).containsExactly("services.shop.preview", "services.shop.sticky");
    }

    @Test
    void badPreviewSettingsAreNamedWithTheirPath() {
        assertError("services: {shop: {active: b, preview: yes please, colors: {b: []}}}",
                "services.shop.preview: expected true or false");
        assertError("services: {shop: {active: b, preview: {headr: X}, colors: {b: []}}}",
                "services.shop.preview.headr: unknown key");
        assertError("services: {shop: {active: b, preview: {header: 'X Color'}, colors: {b: []}}}",
                "services.shop.preview: header: 'X Color' is not a valid header name");
        assertError("services: {shop: {active: b, preview: {cookie: 'a;b'}, colors: {b: []}}}",
                "services.shop.preview: cookie: 'a;b' is not a valid cookie name");
        assertError("services: {shop: {active: b, preview: {from: [10.0.0.0/33]}, colors: {b: []}}}",
                "services.shop.preview: from: '10.0.0.0/33' is not a CIDR");
        assertError("services: {shop: {active: b, preview: {from: [internal.example.com]}, colors: {b: []}}}",
                "from: 'internal.example.com' is not a CIDR");
        assertError("services: {shop: {active: b, sticky: 1, colors: {b: []}}}",
                "services.shop.sticky: expected true or false");
    }

    @Test
    void http2SectionAndBackendProtocolParseWithTheirDefaults() {
        GatewayConfig plain = ConfigParser.parse("services: {shop: {active: b, colors: {b: []}}}");
        assertThat(plain.http2()).isEqualTo(Http2Config.DEFAULTS);
        assertThat(plain.http2().h2c()).isFalse();
        assertThat(plain.http2().maxConcurrentStreams()).isEqualTo(100);
        assertThat(plain.services().get("shop").protocol()).isEqualTo(BackendProtocol.HTTP);
        GatewayConfig c = ConfigParser.parse("""
                http2: {h2c: true, maxConcurrentStreams: 50, maxResetsPerSecond: 20, maxQueuedControlFrames: 500}
                services: {rpc: {active: b, protocol: h2c, colors: {b: []}}}
                """);
        assertThat(c.http2()).isEqualTo(new Http2Config(true, 50, 20, 500));
        assertThat(c.services().get("rpc").protocol()).isEqualTo(BackendProtocol.H2C);
        assertError("http2: {maxConcurrentStreams: 0}\nservices: {}",
                "http2.maxConcurrentStreams: expected a whole number within 1..10000");
        assertError("http2: {h2: true}\nservices: {}", "http2.h2: unknown key");
        assertError("services: {rpc: {active: b, protocol: grpc, colors: {b: []}}}",
                "services.rpc.protocol: 'grpc' is not a backend protocol (http or h2c)");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigParser.parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void settingsOnlyFileHasNoServices() {
        GatewayConfig c = ConfigParser.parse("listen: 0.0.0.0:8080\nadmin: 0.0.0.0:9901\n");
        assertThat(c.services()).isEmpty();
    }

    @Test
    void cidrMatchesAddressesInsideItsRange() throws Exception {
        Cidr c = Cidr.parse("10.0.0.0/8");
        assertThat(c.contains(java.net.InetAddress.getByName("10.200.3.4"))).isTrue();
        assertThat(c.contains(java.net.InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(Cidr.parse("192.168.1.0/25").contains(java.net.InetAddress.getByName("192.168.1.200"))).isFalse();
        assertThat(Cidr.parse("::1").contains(java.net.InetAddress.getByName("::1"))).isTrue();
        assertThatThrownBy(() -> Cidr.parse("example.com")).isInstanceOf(ConfigException.class);
    }

    @Test
    void nestedErrorNamesItsPathOnceAndAYamlErrorIsOneLine() {
        assertThatThrownBy(() -> ConfigParser.parse("""
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [127.0.0.1:9001, "x"]
                """)).isInstanceOf(ConfigException.class)
                .hasMessage("services.shop.colors.blue[1]: 'x' is not host:port");
        assertThatThrownBy(() -> ConfigParser.parse("services:\n  shop: [\n    active: blue\n  colors: {\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("not valid YAML at line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
    }

    @Test
    void diffNamesEveryChangedKey() {
        GatewayConfig a = ConfigParser.parse("""
                listen: 127.0.0.1:8080
                services:
                  shop: {active: blue, colors: {blue: [127.0.0.1:1], green: [127.0.0.1:2]}}
                  old: {hosts: [old.local], active: blue, colors: {blue: [127.0.0.1:3]}}
                """);
        GatewayConfig b = ConfigParser.parse("""
                listen: 127.0.0.1:8081
                workers: 2
                timeouts: {connect: 1s}
                services:
                  shop: {active: green, drainTimeout: 5s, colors: {blue: [127.0.0.1:1], green: [127.0.0.1:2]}}
                  api: {hosts: [api.local], active: blue, colors: {blue: [127.0.0.1:4]}}
                """);
        assertThat(ConfigDiff.between(a, b)).containsExactly("listen", "workers", "timeouts",
                "services.shop.active", "services.shop.drainTimeout", "services.api (added)", "services.old (removed)");
        assertThat(ConfigDiff.restartOnly(a, b)).containsExactly("listen", "workers");
        assertThat(ConfigDiff.between(a, a)).isEmpty();
    }
}
