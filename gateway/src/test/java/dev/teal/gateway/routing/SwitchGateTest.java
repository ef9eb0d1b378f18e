package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.config.ConfigFileWatcher;
import dev.teal.gateway.testing.GatewayFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch gate without a health check: a switch (admin or reload) onto a color none of whose endpoints accepts a
 * TCP connection is refused and the running color keeps serving; forced, it lands and clients get 503 at once.
 */
class SwitchGateTest {
    private static final String TEMPLATE = """
            listen: 127.0.0.1:0
            admin: 127.0.0.1:0
            services:
              shop:
                active: %s
                colors:
                  blue:  [${blue}]
                  green: [${green}]
                  gray:  [127.0.0.1:%d]
            """;

    @TempDir
    Path dir;
    private GatewayFixture f;
    private int deadPort;
    private Path file;
    private ConfigFileWatcher watcher;

    @BeforeEach
    void start() throws Exception {
        deadPort = deadPort();
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        file = dir.resolve("teal.yaml");
        String yaml = f.yaml(TEMPLATE.formatted("blue", deadPort));
        Files.writeString(file, yaml);
        f.start(yaml);
        watcher = f.track(new ConfigFileWatcher(file, Files.readAllBytes(file), f.gateway()::apply,
                f.gateway()::rejected));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** A port nothing listens on: bound once, then closed. */
    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @Test
    void switchToColorWhoseEndpointsRefuseConnectionsIs409AndBlueKeepsServing() throws Exception {
        HttpResponse<String> r = f.switchTo("shop", "gray");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("\"reason\":\"no endpoint of gray accepted a connection\"", "force=true")
                .hasLineCount(1);
        assertThat(f.get("/").body()).isEqualTo("blue\n");
        assertThat(f.adminGet("/status").body()).contains("\"serving\":\"blue\"");
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_cutovers_total{from=\"blue\",result=\"refused\",service=\"shop\",to=\"gray\",} 1.0");
    }

    @Test
    void switchToColorThatAcceptsConnectionsIsNotGated() throws Exception {
        assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);
        assertThat(f.get("/").body()).isEqualTo("green\n");
    }

    @Test
    void forcedSwitchOntoDeadColorAnswers503AtOnceInsteadOf502() throws Exception {
        HttpResponse<String> r = f.adminPost("/services/shop/switch?to=gray&force=true");
        assertThat(r.statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> answer = f.get("/");
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.body()).isEqualTo("no healthy endpoint\n");
        }
        // answered without trying the dead endpoint per request (the error series is registered at its first error)
        assertThat(f.gateway().metrics().scrape())
                .doesNotContainPattern("teal_upstream_errors_total\\{color=\"gray\",kind=\"connect\",service=\"shop\",} [1-9]");
        // and back: the rollback is gated too, and blue accepts
        assertThat(f.switchTo("shop", "blue").statusCode()).isEqualTo(200);
        assertThat(f.get("/").body()).isEqualTo("blue\n");
    }

    @Test
    void reloadOntoDeadColorKeepsTheRunningColorAndShowsTheRefusalUntilTheFileChangesAgain() throws Exception {
        Files.writeString(file, f.yaml(TEMPLATE.formatted("gray", deadPort)));
        watcher.check();
        assertThat(f.get("/").body()).isEqualTo("blue\n");
        String status = f.adminGet("/status").body();
        assertThat(status).contains("\"serving\":\"blue\"", "\"refusedSwitch\":{\"to\":\"gray\"",
                "\"reason\":\"no endpoint of gray accepted a connection\"");
        assertThat(f.gateway().metrics().scrape()).contains("teal_config_reloads_total{result=\"applied\",} 1.0");

        Files.writeString(file, f.yaml(TEMPLATE.formatted("green", deadPort)));
        watcher.check();
        assertThat(f.get("/").body()).isEqualTo("green\n");
        assertThat(f.adminGet("/status").body()).contains("\"serving\":\"green\"", "\"refusedSwitch\":null");
    }
}
