package dev.teal.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's live demo, shortened: it must switch both ways under load and fail no request. */
class DemoTest {

    @Test
    void demoSwitchesBothWaysUnderLoadWithoutFailedRequests() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code = Demo.run(3, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(out).isZero();
        assertThat(out).contains("switch -> green: HTTP 200", "switch -> blue: HTTP 200", "RESULT: ok");
        assertThat(out).containsPattern("green=\\s*[1-9]");
    }
}
