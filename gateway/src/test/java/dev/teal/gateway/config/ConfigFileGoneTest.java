package dev.teal.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.gateway.testing.GatewayFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A deleted config file is reported once, by name, and changes nothing; a file put back is applied again. */
class ConfigFileGoneTest {

    @TempDir
    Path dir;

    @Test
    void deletedFileIsNamedOnceAndTheRunningStateKept() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigFileWatcher.class);
        logger.addAppender(logs);
        try (GatewayFixture f = GatewayFixture.blueGreen("")) {
            Path file = dir.resolve("teal.yaml");
            String yaml = f.yaml("""
                    listen: 127.0.0.1:0
                    admin: 127.0.0.1:0
                    services:
                      shop:
                        active: %s
                        colors:
                          blue:  [${blue}]
                          green: [${green}]
                    """);
            Files.writeString(file, yaml.formatted("blue"));
            ConfigFileWatcher w = f.track(new ConfigFileWatcher(file, Files.readAllBytes(file), f.gateway()::apply,
                    f.gateway()::rejected));
            Files.delete(file);
            w.check();
            w.check();
            assertThat(logs.list).filteredOn(e -> e.getFormattedMessage().startsWith("config file deleted"))
                    .singleElement().satisfies(e -> assertThat(e.getKeyValuePairs().get(0).value)
                            .isEqualTo(file.toAbsolutePath()));
            assertThat(f.get("/").body()).isEqualTo("blue\n");

            Files.writeString(file, yaml.formatted("green"));
            w.check();
            assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().equals("config file is back"));
            assertThat(f.get("/").body()).isEqualTo("green\n");
        } finally {
            logger.detachAppender(logs);
        }
    }
}
