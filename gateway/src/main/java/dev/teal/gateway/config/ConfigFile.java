package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and parses a configuration the one way start-up, {@code --check}, the file watcher, SIGHUP and
 * {@code POST /reload} all do, with errors that name the file: {@code config file does not exist: /etc/teal.yaml}.
 *
 * @param source  where it came from, as {@code /config} and the start-up line show it: {@code file: /path} or
 *                {@code embedded default}
 * @param content the bytes read, to tell a changed file from an unchanged one
 */
public record ConfigFile(Path path, String source, byte[] content, GatewayConfig config) {
    public static final String EMBEDDED = "embedded default";
    private static final String EMBEDDED_RESOURCE = "/teal-default.yaml";

    /** Reads and parses {@code file}; a missing or unreadable file or an invalid one is a {@link ConfigException}. */
    public static ConfigFile read(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        byte[] content;
        try {
            content = Files.readAllBytes(abs);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file does not exist: " + abs);
        } catch (AccessDeniedException e) {
            throw new ConfigException("config file is not readable (permission denied): " + abs);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + abs + ": " + e.getMessage());
        }
        return new ConfigFile(abs, "file: " + abs, content, parse(content));
    }

    /** The configuration built into the jar ({@code teal-default.yaml}). */
    public static ConfigFile embedded() {
        byte[] content;
        try (InputStream in = ConfigFile.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new ConfigException("the embedded default " + EMBEDDED_RESOURCE + " is missing from the jar");
            }
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigException("cannot read the embedded default: " + e.getMessage());
        }
        return new ConfigFile(null, EMBEDDED, content, parse(content));
    }

    static GatewayConfig parse(byte[] content) {
        return ConfigParser.parse(new String(content, StandardCharsets.UTF_8));
    }
}
