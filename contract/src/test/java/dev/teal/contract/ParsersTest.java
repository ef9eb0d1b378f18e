package dev.teal.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The parsers both sides use for the file, the annotations and the command lines. */
class ParsersTest {
    @Test
    void durationsAndSizesParseAndFormatTheWayTheFileWritesThem() {
        assertThat(Units.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.duration(" 2m ")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.format(Defaults.DRAIN_TIMEOUT)).isEqualTo("30s");
        assertThat(Units.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Units.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Units.size("8KiB")).isEqualTo(8192);
        assertThat(Units.size("4096")).isEqualTo(4096);
        assertThatThrownBy(() -> Units.duration("30")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'30' is not a duration");
        assertThatThrownBy(() -> Units.size("ten megs")).isInstanceOf(ConfigException.class);
    }

    @Test
    void namesAreAllowListed() {
        assertThat(Names.color("green")).isEqualTo("green");
        assertThat(Names.host("*.Example.COM")).isEqualTo("*.example.com");
        assertThat(Names.service("shop.shop-ns")).isEqualTo("shop.shop-ns");
        assertThatThrownBy(() -> Names.color("Green")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> Names.color("-x")).isInstanceOf(ConfigException.class);
    }

    @Test
    void hostPortKeepsIpv6InBracketsAndRefusesWhatIsNotHostPort() {
        assertThat(HostPort.parse("[::1]:80")).isEqualTo(new HostPort("::1", 80));
        assertThat(HostPort.parse("[::1]:80").toString()).isEqualTo("[::1]:80");
        assertThat(HostPort.parse("shop:8080").toString()).isEqualTo("shop:8080");
        assertThatThrownBy(() -> HostPort.parse("::1:80")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("brackets");
        assertThatThrownBy(() -> HostPort.parse("shop:99999")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> HostPort.parse("shop")).isInstanceOf(ConfigException.class);
    }

    @Test
    void annotationNamesShareThePrefixAndTheDefaultsMatchTheReadme() {
        assertThat(Annotations.ACTIVE).isEqualTo("teal.dev/active");
        assertThat(Annotations.SERVING).isEqualTo("teal.dev/serving");
        assertThat(Annotations.DRAIN_TIMEOUT).isEqualTo("teal.dev/drain-timeout");
        assertThat(Defaults.DRAIN_TIMEOUT).isEqualTo(Duration.ofSeconds(30));
        assertThat(HealthCheck.defaults("/healthz")).isEqualTo(new HealthCheck("/healthz", Duration.ofSeconds(2),
                Duration.ofSeconds(1), 2, 1));
    }
}
