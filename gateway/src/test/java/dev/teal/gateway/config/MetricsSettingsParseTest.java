package dev.teal.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.contract.ConfigException;
import org.junit.jupiter.api.Test;

/** The {@code metrics} section: every option off unless set, and a typo is an error, not a silent default. */
class MetricsSettingsParseTest {
    private static final String HEAD = "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\nservices: {}\n";

    @Test
    void metricsOptionsAreOffUnlessSet() {
        assertThat(ConfigParser.parse(HEAD).metrics()).isEqualTo(MetricsSettings.DEFAULTS)
                .isEqualTo(new MetricsSettings(false, false, false));
        assertThat(ConfigParser.parse(HEAD + "metrics: {connectionSeries: true}\n").metrics())
                .isEqualTo(new MetricsSettings(false, true, false));
        assertThat(ConfigParser.parse(HEAD + "metrics:\n  endpointSeries: true\n  fineLatencyBuckets: true\n")
                .metrics()).isEqualTo(new MetricsSettings(true, false, true));
    }

    @Test
    void unknownMetricsKeyOrNonBooleanIsRejectedWithItsPath() {
        assertThatThrownBy(() -> ConfigParser.parse(HEAD + "metrics: {endpointSerie: true}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.endpointSerie: unknown key");
        assertThatThrownBy(() -> ConfigParser.parse(HEAD + "metrics: {fineLatencyBuckets: yes please}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.fineLatencyBuckets: expected true or false");
    }
}
