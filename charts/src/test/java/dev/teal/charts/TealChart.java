package dev.teal.charts;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The chart under test, rendered and linted with real Helm (helm-java bundles Helm's Go
 * library; nothing here talks to a cluster). Release {@value #RELEASE} in namespace
 * {@value #NAMESPACE}, so resource names are {@code teal-gateway}, {@code teal-controller}, ...
 */
final class TealChart {
    static final String RELEASE = "teal";
    static final String NAMESPACE = "edge";
    /** Surefire runs in the module directory, charts/; the chart is charts/teal. */
    static final Path DIR = Path.of("teal").toAbsolutePath();
    static final Path ALL_FEATURES_ON = testResource("all-features-on.yaml");
    static final ObjectMapper YAML = YAMLMapper.builder().build();
    static final ObjectMapper JSON = new ObjectMapper();

    private TealChart() {}

    /** helm template with the chart's defaults plus the given values files, as text. */
    static String template(Path... valuesFiles) {
        var command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        return command.call();
    }

    /** helm template with a values document given inline. */
    static String template(String valuesYaml, Path... moreValuesFiles) {
        Path file = writeTemp("values", valuesYaml);
        try {
            List<Path> files = new ArrayList<>(List.of(moreValuesFiles));
            files.add(file);
            return template(files.toArray(Path[]::new));
        } finally {
            deleteQuietly(file);
        }
    }

    static Manifests render(Path... valuesFiles) {
        return Manifests.parse(template(valuesFiles));
    }

    static Manifests render(String valuesYaml, Path... moreValuesFiles) {
        return Manifests.parse(template(valuesYaml, moreValuesFiles));
    }

    /**
     * helm lint --strict. helm-java's lint takes no values file, so for other values the chart
     * is copied and its values.yaml replaced by the defaults merged with {@code overrides}.
     */
    static LintResult lintStrict(Path... overrides) {
        if (overrides.length == 0) {
            return new Helm(DIR).lint().strict().call();
        }
        Path copy = copyChart();
        try {
            ObjectNode values = (ObjectNode) readYaml(DIR.resolve("values.yaml"));
            for (Path file : overrides) {
                deepMerge(values, readYaml(file));
            }
            Files.writeString(copy.resolve("values.yaml"), YAML.writeValueAsString(values));
            return new Helm(copy).lint().strict().call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(copy);
        }
    }

    static JsonNode readYaml(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode defaultValues() {
        return readYaml(DIR.resolve("values.yaml"));
    }

    /** Helm's merge of values files: maps merge key by key, anything else is replaced. */
    static void deepMerge(ObjectNode into, JsonNode from) {
        for (Map.Entry<String, JsonNode> field : from.properties()) {
            JsonNode existing = into.get(field.getKey());
            if (existing instanceof ObjectNode target && field.getValue().isObject()) {
                deepMerge(target, field.getValue());
            } else {
                into.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    static Path writeTemp(String prefix, String content) {
        try {
            Path file = Files.createTempFile(prefix, ".yaml");
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless
        }
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(TealChart::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copyChart() {
        try {
            Path copy = Files.createTempDirectory("teal-chart").resolve("teal");
            try (Stream<Path> paths = Files.walk(DIR)) {
                for (Path source : (Iterable<Path>) paths::iterator) {
                    Path target = copy.resolve(DIR.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path testResource(String name) {
        try {
            return Path.of(TealChart.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rendered documents, parsed by fabric8 (custom resources become generic resources). */
    record Manifests(List<HasMetadata> resources) {
        static Manifests parse(String rendered) {
            List<HasMetadata> resources = new ArrayList<>();
            for (String document : rendered.split("(?m)^---\\s*$")) {
                boolean empty = document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"));
                if (!empty) {
                    resources.add(Serialization.unmarshal(document, HasMetadata.class));
                }
            }
            return new Manifests(List.copyOf(resources));
        }

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return resources.stream().filter(type::isInstance).map(type::cast).toList();
        }

        List<HasMetadata> ofKind(String kind) {
            return resources.stream().filter(r -> kind.equals(r.getKind())).toList();
        }

        <T extends HasMetadata> T get(Class<T> type, String name) {
            return all(type).stream()
                    .filter(r -> name.equals(r.getMetadata().getName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name
                            + " in " + resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList()));
        }

        HasMetadata get(String kind, String name) {
            return ofKind(kind).stream()
                    .filter(r -> name.equals(r.getMetadata().getName()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
        }
    }
}
