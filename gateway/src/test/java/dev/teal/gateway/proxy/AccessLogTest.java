package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** With {@code accessLog: true}, every request that got an answer has one line, refusals included, with the reason. */
class AccessLogTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger access = (Logger) LoggerFactory.getLogger("teal.access");
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        lines.start();
        access.addAppender(lines);
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                accessLog: true
                services:
                  shop:
                    hosts: [shop.example.com]
                    active: blue
                    maxBodySize: 64
                    colors:
                      blue: [${blue}]
                """);
    }

    @AfterEach
    void stop() throws Exception {
        access.detachAppender(lines);
        f.close();
    }

    private Map<String, String> awaitLine(int status) {
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.stream()
                .anyMatch(e -> String.valueOf(fields(e).get("status")).equals(String.valueOf(status))));
        return lines.list.stream().map(AccessLogTest::fields)
                .filter(m -> m.get("status").equals(String.valueOf(status))).findFirst().orElseThrow();
    }

    private static Map<String, String> fields(ILoggingEvent e) {
        Map<String, String> m = new LinkedHashMap<>();
        e.getKeyValuePairs().forEach(kv -> m.put(kv.key, String.valueOf(kv.value)));
        return m;
    }

    @Test
    void proxiedRequestHasServiceColorEndpointAndStatus() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/a", "shop.example.com").status()).isEqualTo(200);
        }
        Map<String, String> l = awaitLine(200);
        assertThat(l).containsEntry("service", "shop").containsEntry("color", "blue")
                .containsEntry("endpoint", f.backend("blue").address()).containsEntry("method", "GET")
                .containsEntry("path", "/a").doesNotContainKey("reason");
    }

    @Test
    void unknownHostIsLoggedAs404WithItsReason() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/x", "nobody.example.com").status()).isEqualTo(404);
        }
        assertThat(awaitLine(404)).containsEntry("service", "-").containsEntry("method", "GET")
                .containsEntry("path", "/x").containsEntry("reason", "no route for this host and path");
    }

    @Test
    void bodyTooLargeByContentLengthIsLoggedAs413() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST /upload HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: 1000\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
        }
        assertThat(awaitLine(413)).containsEntry("service", "shop").containsEntry("color", "blue")
                .containsEntry("method", "POST").containsEntry("path", "/upload")
                .containsEntry("reason", "request body too large");
    }

    @Test
    void malformedRequestIsLoggedAs400() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            c.send("POST / HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        Map<String, String> l = awaitLine(400);
        assertThat(l.get("reason")).startsWith("bad request");
        assertThat(lines.list).hasSize(1); // one line per answer, not one per code path
    }
}
