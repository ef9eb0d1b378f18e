package dev.teal.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** values.yaml and values.schema.json: every key does something, bad values fail before install. */
class ValuesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void schemaRejectsNonIntegerReplicas() {
        assertThatThrownBy(() -> TealChart.template("gateway: {replicas: two}"))
                .hasMessageContaining("replicas")
                .hasMessageContaining("integer");
    }

    @Test
    void schemaRejectsUnknownServiceType() {
        assertThatThrownBy(() -> TealChart.template("gateway: {service: {type: Foo}}"))
                .hasMessageContaining("type")
                .hasMessageContaining("LoadBalancer");
    }

    @Test
    void schemaRejectsAMistypedKey() {
        assertThatThrownBy(() -> TealChart.template("gateway: {replica: 3}"))
                .hasMessageContaining("replica");
    }

    @Test
    void schemaRejectsAShutdownDurationTheChartCannotAddUp() {
        assertThatThrownBy(() -> TealChart.template("gateway: {config: {shutdown: {timeout: 1h30m}}}"))
                .hasMessageContaining("timeout");
    }

    /**
     * Every leaf of values.yaml (a scalar, a list, or an empty map) is used by some template.
     * Method: change the leaf alone and render again; the leaf is used when the output differs.
     * A leaf may matter only with another feature on (serviceMonitor.interval) or off
     * (gateway.replicas is dropped under the autoscaler), so each change is tried against two
     * baselines: the defaults and all-features-on.yaml. Each leaf gets candidate changes of its
     * own type (flip a boolean, +1 an integer, another enum value from values.schema.json,
     * "30s" -> "31s", drop or add a list item, add a map key); a candidate the schema rejects
     * is skipped. A leaf that no accepted candidate changes in either baseline is reported.
     */
    @Test
    void everyValuesKeyChangesTheRender() {
        JsonNode defaults = TealChart.defaultValues();
        JsonNode schema = TealChart.readJson(TealChart.DIR.resolve("values.schema.json"));
        List<Path[]> baselines = List.of(new Path[0], new Path[] {TealChart.ALL_FEATURES_ON});
        List<String> baselineRenders = baselines.stream().map(TealChart::template).toList();
        List<String> unused = new ArrayList<>();
        List<List<String>> leaves = new ArrayList<>();
        collectLeaves(defaults, new ArrayList<>(), leaves);
        assertThat(leaves).hasSizeGreaterThan(100);
        for (List<String> path : leaves) {
            JsonNode value = at(defaults, path);
            boolean used = false;
            for (JsonNode candidate : candidates(value, schemaAt(schema, path))) {
                for (int b = 0; b < baselines.size() && !used; b++) {
                    Optional<String> rendered = tryRender(path, candidate, baselines.get(b));
                    used = rendered.isPresent() && !rendered.get().equals(baselineRenders.get(b));
                }
                if (used) {
                    break;
                }
            }
            if (!used) {
                unused.add(String.join(".", path));
            }
        }
        assertThat(unused).as("values.yaml keys that change nothing in the rendered chart").isEmpty();
    }

    private static Optional<String> tryRender(List<String> path, JsonNode value, Path[] baseline) {
        ObjectNode doc = NODES.objectNode();
        ObjectNode parent = doc;
        for (String key : path.subList(0, path.size() - 1)) {
            parent = parent.putObject(key);
        }
        parent.set(path.get(path.size() - 1), value);
        try {
            return Optional.of(TealChart.template(TealChart.YAML.writeValueAsString(doc), baseline));
        } catch (IllegalStateException rejected) { // helm-java's error for a schema or template failure
            return Optional.empty();
        }
    }

    private static void collectLeaves(JsonNode node, List<String> path, List<List<String>> out) {
        if (node.isObject() && !node.isEmpty()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                List<String> child = new ArrayList<>(path);
                child.add(field.getKey());
                collectLeaves(field.getValue(), child, out);
            }
        } else {
            out.add(List.copyOf(path));
        }
    }

    private static JsonNode at(JsonNode node, List<String> path) {
        for (String key : path) {
            node = node.get(key);
        }
        return node;
    }

    private static JsonNode schemaAt(JsonNode schema, List<String> path) {
        JsonNode node = schema;
        for (String key : path) {
            JsonNode next = node.path("properties").path(key);
            node = next.isMissingNode() ? node.path("additionalProperties") : next;
        }
        return node;
    }

    private static final Pattern NUMBER_PREFIX = Pattern.compile("^(\\d+)(.*)$");

    private static List<JsonNode> candidates(JsonNode value, JsonNode schema) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode allowed : schema.path("enum")) {
            if (!allowed.equals(value)) {
                out.add(allowed);
            }
        }
        if (value.isBoolean()) {
            out.add(NODES.booleanNode(!value.asBoolean()));
        } else if (value.isIntegralNumber()) {
            out.add(NODES.numberNode(value.asLong() + 1));
            out.add(NODES.numberNode(value.asLong() - 1));
        } else if (value.isNumber()) {
            out.add(NODES.numberNode(value.asDouble() / 2));
        } else if (value.isString()) {
            Matcher m = NUMBER_PREFIX.matcher(value.asString());
            if (m.matches()) {
                out.add(NODES.stringNode((Long.parseLong(m.group(1)) + 1) + m.group(2)));
            }
            out.add(NODES.stringNode(value.asString() + "x"));
        } else if (value.isArray() && !value.isEmpty()) {
            ArrayNode shorter = (ArrayNode) value.deepCopy();
            shorter.remove(shorter.size() - 1);
            out.add(shorter);
            out.add(((ArrayNode) value.deepCopy()).add(value.get(0).deepCopy()));
        } else if (value.isArray()) {
            out.add(NODES.arrayNode().add("x"));
            out.add(NODES.arrayNode().add("10.0.0.0/8"));
            out.add(NODES.arrayNode().add(NODES.objectNode().put("name", "x")));
        } else if (value.isObject()) {
            out.add(NODES.objectNode().put("x", "x"));
        }
        return out;
    }
}
