package dev.teal.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.BuildInfo;
import org.junit.jupiter.api.Test;

class BuildInfoMetricTest {

    @Test
    void buildInfoGaugeIsOneWithVersionRevisionAndJava() {
        BuildInfo b = BuildInfo.current();
        String scrape = new ControllerMetrics().registry().scrape();
        assertThat(b.version()).isNotEqualTo("unknown");
        assertThat(scrape).contains("# HELP teal_build_info ")
                .contains("teal_build_info{java=\"" + b.java() + "\",revision=\"" + b.revision() + "\",version=\""
                        + b.version() + "\",} 1.0");
    }
}
