package dev.teal.bench.process;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolsTest {
    @Test
    void aMissingProgramFailsWithTheInstallCommand() {
        assertThatThrownBy(() -> Tools.require("teal-bench-no-such-program"))
                .isInstanceOf(Tools.MissingToolException.class)
                .hasMessageContaining("teal-bench-no-such-program")
                .hasMessageContaining("apt-get install nginx haproxy wrk");
    }
}
