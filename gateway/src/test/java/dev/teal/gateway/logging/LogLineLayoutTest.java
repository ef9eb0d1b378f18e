package dev.teal.gateway.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LogLineLayoutTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("dev.teal.gateway.config.ConfigFileWatcher");

    private LoggingEvent event(Throwable t) {
        LoggingEvent e = new LoggingEvent("x", logger, Level.ERROR, "config rejected; \"kept\"", t, null);
        e.addKeyValuePair(new KeyValuePair("error", "not valid YAML:\n  line 2\r\n\tat \"here\" \\ end"));
        e.addKeyValuePair(new KeyValuePair("for", Duration.ofSeconds(10)));
        e.addKeyValuePair(new KeyValuePair("services", 3));
        return e;
    }

    private LogLineLayout layout(String format) {
        LogLineLayout l = new LogLineLayout();
        l.setContext(context);
        l.setFormat(format);
        l.start();
        return l;
    }

    @Test
    void logfmtIsOnePhysicalLineWithEscapedValuesAndConfigStyleDurations() {
        String line = layout("logfmt").doLayout(event(new IllegalStateException("boom\nsecond line")));
        assertThat(line).endsWith("\n");
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
        assertThat(line).startsWith("ts=").contains(" level=ERROR logger=ConfigFileWatcher ")
                .contains("msg=\"config rejected; \\\"kept\\\"\"")
                .contains("error=\"not valid YAML:\\n  line 2\\r\\n\\tat \\\"here\\\" \\\\ end\"")
                .contains("for=\"10s\"").contains("services=\"3\"")
                .contains("exception=\"java.lang.IllegalStateException: boom\\nsecond line | ");
    }

    @Test
    void jsonIsOneParsableObjectPerLine() throws Exception {
        String line = layout("JSON").doLayout(event(null));
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
        JsonNode n = JsonMapper.builder().build().readTree(line);
        assertThat(n.get("level").asString()).isEqualTo("ERROR");
        assertThat(n.get("logger").asString()).isEqualTo("ConfigFileWatcher");
        assertThat(n.get("msg").asString()).isEqualTo("config rejected; \"kept\"");
        assertThat(n.get("error").asString()).isEqualTo("not valid YAML:\n  line 2\r\n\tat \"here\" \\ end");
        assertThat(n.get("for").asString()).isEqualTo("10s");
        assertThat(n.get("services").asInt()).isEqualTo(3);
        assertThat(n.get("ts").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @Test
    void unknownFormatFallsBackToLogfmt() {
        LogLineLayout l = layout("xml");
        assertThat(l.isJson()).isFalse();
        assertThat(l.doLayout(event(null))).startsWith("ts=");
    }
}
