package dev.teal.bench.report;

import dev.teal.bench.scenario.CompareResult;
import dev.teal.bench.scenario.ConnectionsResult;
import dev.teal.bench.scenario.CutoverResult;
import dev.teal.bench.scenario.DrainResult;
import dev.teal.bench.scenario.GuardResult;
import dev.teal.bench.scenario.ScaleResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON files of an output directory: {@code compare.json}, {@code cutover.json}, ... */
public final class Results {
    public static final Map<String, Class<?>> TYPES = Map.of(
            "compare", CompareResult.class,
            "cutover", CutoverResult.class,
            "drain", DrainResult.class,
            "connections", ConnectionsResult.class,
            "scale", ScaleResult.class,
            "guard", GuardResult.class,
            "tls", dev.teal.bench.scenario.TlsResult.class);
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Results() {}

    public static Path write(Path dir, String scenario, Object result) throws java.io.IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(scenario + ".json");
        JSON.writeValue(file.toFile(), result);
        return file;
    }

    /** The result of {@code scenario} in {@code dir}, or null when that scenario was not run there. */
    public static <T> T read(Path dir, String scenario, Class<T> type) {
        Path file = dir.resolve(scenario + ".json");
        return Files.isRegularFile(file) ? JSON.readValue(file.toFile(), type) : null;
    }

    public static JsonMapper json() {
        return JSON;
    }
}
