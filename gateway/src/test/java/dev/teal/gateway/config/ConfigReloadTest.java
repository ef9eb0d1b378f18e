package dev.teal.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ConfigReloadTest {
    private static final String TEMPLATE = """
            listen: 127.0.0.1:0
            admin: 127.0.0.1:0
            services:
              shop:
                active: %s
                colors:
                  blue:  [%s]
                  green: [${green}]
            """;

    @TempDir
    Path dir;
    private GatewayFixture f;
    private Path file;
    private ConfigFileWatcher watcher;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("blue2", "blue2");
        f.backend("green", "green");
        file = dir.resolve("teal.yaml");
        String yaml = f.yaml(TEMPLATE.formatted("blue", "${blue}"));
        Files.writeString(file, yaml);
        f.start(yaml);
        watcher = f.track(new ConfigFileWatcher(file, Files.readAllBytes(file), f.gateway()::apply, f.gateway()::rejected));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void savedChangeOfActiveSwitchesWithoutDroppingTheConnection() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop").text()).isEqualTo("blue\n");
            Files.writeString(file, f.yaml(TEMPLATE.formatted("green", "${blue}")));
            watcher.check();
            assertThat(c.get("/", "shop").text()).isEqualTo("green\n"); // same connection
        }
        assertThat(f.gateway().metrics().scrape()).contains("teal_config_reloads_total{result=\"applied\",} 1.0");
    }

    @Test
    void fileWatchPicksUpASavedChangeByItself() throws Exception {
        Files.writeString(file, f.yaml(TEMPLATE.formatted("green", "${blue}")));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.get("/").body().equals("green\n"));
    }

    @Test
    void invalidFileIsRejectedAndTheRunningStateKept() throws Exception {
        Files.writeString(file, "services: {shop: {active: purple, colors: {blue: []}}}");
        watcher.check();
        assertThat(f.get("/").body()).isEqualTo("blue\n");
        assertThat(f.gateway().metrics().scrape()).contains("teal_config_reloads_total{result=\"rejected\",} 1.0");
        // and a valid file after that applies again
        Files.writeString(file, f.yaml(TEMPLATE.formatted("green", "${blue}")));
        watcher.check();
        assertThat(f.get("/").body()).isEqualTo("green\n");
    }

    /** The README's example: one log line, naming the file and the reason, no stack trace; nothing else changes. */
    @Test
    void invalidFileOnReloadIsReportedInOneLogLineNamingThePathAndTheReason() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        String test = Thread.currentThread().getName();
        try {
            Files.writeString(file, f.yaml(TEMPLATE.formatted("green", "${blue}, 127.0.0.1:x")));
            watcher.check(); // on this thread, as the watch thread would
        } finally {
            root.detachAppender(logs);
        }
        List<ILoggingEvent> lines = logs.list.stream().filter(e -> e.getThreadName().equals(test)).toList();
        assertThat(lines).as("log lines of the reload").singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getThrowableProxy()).as("no stack trace").isNull();
            String kv = e.getKeyValuePairs().toString();
            assertThat(kv).contains(file.toString(), "services.shop.colors.blue[1]: '127.0.0.1:x' has no numeric port");
            assertThat(e.getFormattedMessage()).doesNotContain("\n");
        });
        assertThat(f.get("/").body()).as("the running state is kept: still blue").isEqualTo("blue\n");
        assertThat(f.gateway().metrics().scrape()).contains("teal_config_reloads_total{result=\"rejected\",} 1.0");
    }

    @Test
    void replacedEndpointTakesNewRequestsAndTheRemovedOneIsLetGo() throws Exception {
        assertThat(f.get("/").body()).isEqualTo("blue\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() == 1);
        Files.writeString(file, f.yaml(TEMPLATE.formatted("blue", "${blue2}")));
        watcher.check();
        assertThat(f.get("/").body()).isEqualTo("blue2\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("blue").openConnections() == 0);
        assertThat(f.adminGet("/status").body()).contains(f.backend("blue2").address())
                .doesNotContain(f.backend("blue").address());
    }

    @Test
    void newServiceIsRoutedAfterReload() throws Exception {
        Files.writeString(file, f.yaml(TEMPLATE.formatted("blue", "${blue}") + """
                  api:
                    hosts: [api.local]
                    active: green
                    colors:
                      green: [${green}]
                """));
        watcher.check();
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "api.local").text()).isEqualTo("green\n");
            assertThat(c.get("/", "anything").text()).isEqualTo("blue\n");
        }
    }
}
