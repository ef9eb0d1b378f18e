package dev.teal.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TealAnnotationsTest {
    static final Map<String, String> SELECTOR = Map.of("app", "shop", "color", "blue");

    @Test
    void defaultsApplyWhenOnlyActiveIsSet() {
        TealSpec spec = TealAnnotations.parse("shop", Map.of("teal.dev/active", "green"), SELECTOR);

        assertThat(spec.active()).isEqualTo("green");
        assertThat(spec.serving()).isNull();
        assertThat(spec.colorLabel()).isEqualTo("color");
        assertThat(spec.minReady()).isEqualTo(1);
        assertThat(spec.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.scaleDownDelay()).isNull();
        assertThat(spec.baseSelector()).isEqualTo(Map.of("app", "shop"));
        assertThat(spec.cutoverRequested()).isTrue();
    }

    @Test
    void everyAnnotationIsParsedIntoItsType() {
        TealSpec spec = TealAnnotations.parse("shop", Map.of("teal.dev/active", "green", "teal.dev/serving", "green",
                "teal.dev/color-label", "example.com/track", "teal.dev/min-ready", "3",
                "teal.dev/drain-timeout", "90s", "teal.dev/scale-down-delay", "10m"),
                Map.of("app", "shop", "example.com/track", "blue"));

        assertThat(spec.colorLabel()).isEqualTo("example.com/track");
        assertThat(spec.minReady()).isEqualTo(3);
        assertThat(spec.drainTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(spec.scaleDownDelay()).isEqualTo(Duration.ofMinutes(10));
        assertThat(spec.baseSelector()).isEqualTo(Map.of("app", "shop"));
        assertThat(spec.cutoverRequested()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "teal.dev/active|Blue_1|teal.dev/active: 'Blue_1' is not a valid color name",
        "teal.dev/serving|-x|teal.dev/serving: '-x' is not a valid color name",
        "teal.dev/min-ready|-1|teal.dev/min-ready: '-1' is not a whole number within 0..10000",
        "teal.dev/min-ready|2.5|teal.dev/min-ready: '2.5' is not a whole number",
        "teal.dev/drain-timeout|30|teal.dev/drain-timeout: '30' is not a duration",
        "teal.dev/drain-timeout|9999h|teal.dev/drain-timeout: '9999h' is longer than 7 days",
        "teal.dev/scale-down-delay|soon|teal.dev/scale-down-delay: 'soon' is not a duration",
        "teal.dev/color-label|bad label|teal.dev/color-label: 'bad label' is not a valid label key",
    })
    void badValueIsReportedWithAnnotationNameAndValue(String annotation, String value, String message) {
        Map<String, String> a = new HashMap<>(Map.of("teal.dev/active", "green"));
        a.put(annotation, value);

        assertThatThrownBy(() -> TealAnnotations.parse("shop", a, SELECTOR))
                .isInstanceOf(InvalidAnnotationException.class).hasMessageStartingWith(message);
    }

    @Test
    void frontServiceWithOnlyTheColorLabelInItsSelectorIsRejected() {
        assertThatThrownBy(() -> TealAnnotations.parse("shop", Map.of("teal.dev/active", "green"),
                Map.of("color", "blue")))
                .isInstanceOf(InvalidAnnotationException.class)
                .hasMessageContaining("needs a selector besides the color label 'color'");
    }

    @Test
    void colorServiceNameLongerThanADnsLabelIsRejected() {
        String name = "s".repeat(60);
        assertThatThrownBy(() -> TealAnnotations.parse(name, Map.of("teal.dev/active", "green"), SELECTOR))
                .isInstanceOf(InvalidAnnotationException.class).hasMessageContaining("longer than 63 characters");
    }
}
