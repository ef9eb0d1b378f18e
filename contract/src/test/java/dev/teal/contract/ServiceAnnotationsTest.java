package dev.teal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAnnotationsTest {

    @Test
    void absentAnnotationsMeanNoHealthCheckAndNoLimits() {
        assertThat(ServiceAnnotations.parse(Map.of("teal.dev/active", "blue"))).isEqualTo(ServiceAnnotations.NONE);
    }

    @Test
    void healthPathAloneTakesTheStandaloneDefaults() {
        assertThat(ServiceAnnotations.parse(Map.of("teal.dev/health-path", "/healthz")).healthCheck())
                .isEqualTo(HealthCheck.defaults("/healthz"));
    }

    @Test
    void everySettingIsReadWithItsUnit() {
        ServiceAnnotations s = ServiceAnnotations.parse(Map.of("teal.dev/health-path", "/ready",
                "teal.dev/health-interval", "500ms", "teal.dev/health-timeout", "200ms",
                "teal.dev/health-unhealthy-threshold", "3", "teal.dev/health-healthy-threshold", "2",
                "teal.dev/max-body-size", "10MiB", "teal.dev/max-inflight", "500"));
        assertThat(s).isEqualTo(new ServiceAnnotations(10L * 1024 * 1024, 500,
                new HealthCheck("/ready", Duration.ofMillis(500), Duration.ofMillis(200), 3, 2)));
    }

    @Test
    void aBadValueIsNamedWithTheAnnotationAndWhatIsExpected() {
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/max-inflight", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("teal.dev/max-inflight: '-1' is not a whole number within 0..10000000");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/max-body-size", "ten megs")))
                .hasMessage("teal.dev/max-body-size: 'ten megs' is not a size (like 1048576, 512KiB, 10MiB)");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/health-path", "healthz")))
                .hasMessage("teal.dev/health-path: 'healthz' must start with '/' and contain no spaces or control"
                        + " characters");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/health-interval", "0s")))
                .hasMessage("teal.dev/health-interval: '0s' must be longer than 0");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/health-healthy-threshold", "101")))
                .hasMessage("teal.dev/health-healthy-threshold: '101' is not a whole number within 1..100");
    }

    @Test
    void theGatewayKeepsTheLastValidSettingsOfAServiceAndWarnsOncePerBadValue() {
        ServiceAnnotations.LastGood memory = new ServiceAnnotations.LastGood();
        List<String> warnings = new ArrayList<>();
        ServiceAnnotations good = memory.of("shop.ns", Map.of("teal.dev/max-inflight", "5"), warnings::add);
        assertThat(good.maxInflight()).isEqualTo(5);

        for (int i = 0; i < 3; i++) {
            assertThat(memory.of("shop.ns", Map.of("teal.dev/max-inflight", "lots"), warnings::add)).isEqualTo(good);
        }
        assertThat(memory.of("other.ns", Map.of("teal.dev/max-inflight", "lots"), warnings::add))
                .as("a service never valid gets none").isEqualTo(ServiceAnnotations.NONE);
        assertThat(warnings).hasSize(2).first().asString()
                .isEqualTo("Service shop.ns: teal.dev/max-inflight: 'lots' is not a whole number within 0..10000000;"
                        + " keeping its previous settings");

        assertThat(memory.of("shop.ns", Map.of(), warnings::add)).isEqualTo(ServiceAnnotations.NONE);
    }

    @Test
    void previewAndStickyAreOffUnlessTrueAndTakeTheirNames() {
        assertThat(ServiceAnnotations.parse(Map.of()).preview()).isNull();
        assertThat(ServiceAnnotations.parse(Map.of("teal.dev/preview", "false")).preview()).isNull();
        assertThat(ServiceAnnotations.parse(Map.of("teal.dev/preview", "true")).preview()).isEqualTo(Preview.DEFAULTS);
        ServiceAnnotations s = ServiceAnnotations.parse(Map.of("teal.dev/preview", "true",
                "teal.dev/preview-header", "X-Preview", "teal.dev/preview-cookie", "pv",
                "teal.dev/preview-from", "10.0.0.0/8, trustedProxies", "teal.dev/sticky", "true"));
        assertThat(s.preview()).isEqualTo(new Preview("x-preview", "pv", java.util.List.of("10.0.0.0/8",
                "trustedProxies")));
        assertThat(s.sticky()).isTrue();
    }

    @Test
    void aBadPreviewOrStickyValueIsNamed() {
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/preview", "yes")))
                .hasMessage("teal.dev/preview: 'yes' is not \"true\" or \"false\"");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/sticky", "on")))
                .hasMessage("teal.dev/sticky: 'on' is not \"true\" or \"false\"");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/preview", "true",
                "teal.dev/preview-header", "X Color")))
                .hasMessage("teal.dev/preview-header: 'X Color' is not a valid header name");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/preview", "true",
                "teal.dev/preview-from", "10.0.0.0/8, nope")))
                .hasMessageStartingWith("teal.dev/preview-from: 'nope' is not a CIDR");
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/preview-cookie", "pv")))
                .hasMessage("teal.dev/preview-cookie: set, but teal.dev/preview is not \"true\"");
    }

    @Test
    void backendProtocolIsHttpUnlessTheAnnotationSaysH2c() {
        assertThat(ServiceAnnotations.NONE.protocol()).isEqualTo(BackendProtocol.HTTP);
        assertThat(ServiceAnnotations.parse(Map.of("teal.dev/backend-protocol", "h2c")).protocol())
                .isEqualTo(BackendProtocol.H2C);
        assertThat(ServiceAnnotations.parse(Map.of("teal.dev/backend-protocol", " HTTP ")).protocol())
                .isEqualTo(BackendProtocol.HTTP);
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/backend-protocol", "grpc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("teal.dev/backend-protocol: 'grpc' is not a backend protocol (http or h2c)");
    }

    @Test
    void aBadBackendProtocolKeepsTheServicesPreviousSettings() {
        ServiceAnnotations.LastGood last = new ServiceAnnotations.LastGood();
        List<String> warnings = new ArrayList<>();
        assertThat(last.of("shop/web", Map.of("teal.dev/backend-protocol", "h2c"), warnings::add).protocol())
                .isEqualTo(BackendProtocol.H2C);
        assertThat(last.of("shop/web", Map.of("teal.dev/backend-protocol", "h3"), warnings::add).protocol())
                .isEqualTo(BackendProtocol.H2C);
        assertThat(warnings).singleElement().asString().contains("teal.dev/backend-protocol: 'h3'");
    }
}
