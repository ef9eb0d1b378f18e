package dev.teal.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheus.PrometheusNamingConvention;
import org.junit.jupiter.api.Test;

/** Remembering the Prometheus convention's answers changes none of them, asked once or again. */
class CachedNamingConventionTest {
    private final NamingConvention prometheus = new PrometheusNamingConvention();
    private final CachedNamingConvention cached = new CachedNamingConvention(prometheus);

    @Test
    void namesAndTagKeysAreThePrometheusConventionsOwnAnswers() {
        for (int round = 0; round < 2; round++) {
            for (Meter.Type type : Meter.Type.values()) {
                for (String unit : new String[] {null, "seconds", "bytes"}) {
                    for (String name : new String[] {"teal.requests", "teal.inflight", "jvm.memory.used", "a-b.c"}) {
                        assertThat(cached.name(name, type, unit)).as("%s %s %s", name, type, unit)
                                .isEqualTo(prometheus.name(name, type, unit));
                    }
                }
            }
            for (String key : new String[] {"service", "color", "status.class", "9lives"}) {
                assertThat(cached.tagKey(key)).isEqualTo(prometheus.tagKey(key));
            }
        }
        assertThat(cached.tagValue("svc-1.scale")).isEqualTo(prometheus.tagValue("svc-1.scale"));
    }
}
