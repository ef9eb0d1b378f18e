package dev.teal.gateway.discovery;

import dev.teal.contract.ConfigException;
import dev.teal.contract.Defaults;
import dev.teal.contract.HealthCheck;
import dev.teal.contract.HostPort;
import dev.teal.contract.Units;
import dev.teal.gateway.config.PathType;
import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.config.Routes;
import dev.teal.gateway.config.ServiceConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The last-known-good service map on local disk. Written atomically (a temporary file in the same directory, flushed to
 * disk, then a rename), so a reader sees the old file or the new one, never half of one; {@link SnapshotWriter} calls
 * {@link #save} at most once a second, off the discovery thread. Format:
 *
 * <pre>{"savedAt":"...","services":{"shop.default":{"hosts":["shop.example.com"],"active":"green",
 *  "drainTimeout":"30s","maxBodySize":0,"maxInflight":0,"healthCheck":{"path":"/healthz","interval":"2s",...},
 *  "colors":{"blue":["10.0.0.1:8080"],"green":["10.0.0.2:8080"]},
 *  "kubernetes":{"namespace":"default","service":"shop","servingAnnotation":"green","resourceVersion":"42"}}},
 *  "routes":[{"host":"shop.example.com","path":"/","pathType":"Prefix","service":"shop.default"}],
 *  "defaultService":null}</pre>
 * A file without {@code routes} (written before routes existed) routes by each service's {@code hosts}.
 */
public final class SnapshotFile {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path path;

    public SnapshotFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public void save(ServiceMapBuilder.Result snapshot, Instant now) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("savedAt", now.toString());
        ObjectNode services = root.putObject("services");
        for (ServiceConfig s : snapshot.services().values()) {
            ObjectNode n = services.putObject(s.name());
            var hosts = n.putArray("hosts");
            s.hosts().forEach(hosts::add);
            n.put("active", s.active());
            n.put("drainTimeout", Units.format(s.drainTimeout()));
            n.put("maxBodySize", s.maxBodySize());
            n.put("maxInflight", s.maxInflight());
            if (s.healthCheck() != null) {
                ObjectNode h = n.putObject("healthCheck");
                h.put("path", s.healthCheck().path());
                h.put("interval", Units.format(s.healthCheck().interval()));
                h.put("timeout", Units.format(s.healthCheck().timeout()));
                h.put("unhealthyThreshold", s.healthCheck().unhealthyThreshold());
                h.put("healthyThreshold", s.healthCheck().healthyThreshold());
            }
            ObjectNode colors = n.putObject("colors");
            s.colors().forEach((color, eps) -> {
                var arr = colors.putArray(color);
                eps.forEach(e -> arr.add(e.toString()));
            });
            ServiceMapBuilder.Origin o = snapshot.origins().get(s.name());
            if (o != null) {
                ObjectNode k = n.putObject("kubernetes");
                o.toStatus().forEach((key, v) -> k.put(key, v == null ? null : v.toString()));
            }
        }
        var routes = root.putArray("routes");
        for (RouteRule r : snapshot.routes().rules()) {
            ObjectNode n = routes.addObject();
            n.put("host", r.host());
            n.put("path", r.path());
            n.put("pathType", r.pathType().apiName());
            n.put("service", r.service());
        }
        root.put("defaultService", snapshot.routes().defaultService());
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                out.force(true); // on disk before the rename: a crash leaves the old file or the new one, whole
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads the snapshot.
     *
     * @return the snapshot, or null when there is no file
     * @throws ConfigException when the file exists but cannot be read as a snapshot
     */
    public ServiceMapBuilder.Result load() {
        if (!Files.isRegularFile(path)) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException | JacksonException e) {
            throw new ConfigException("snapshot " + path + " cannot be read: " + e.getMessage());
        }
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        Map<String, ServiceMapBuilder.Origin> origins = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.path("services").properties()) {
            JsonNode n = e.getValue();
            List<String> hosts = new ArrayList<>();
            n.path("hosts").forEach(h -> hosts.add(h.asString()));
            Map<String, List<HostPort>> colors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> c : n.path("colors").properties()) {
                List<HostPort> eps = new ArrayList<>();
                c.getValue().forEach(a -> eps.add(HostPort.parse(a.asString())));
                colors.put(c.getKey(), eps);
            }
            JsonNode h = n.path("healthCheck");
            HealthCheck check = !h.isObject() ? null : new HealthCheck(h.path("path").asString(null),
                    Units.duration(h.path("interval").asString("2s")), Units.duration(h.path("timeout").asString("1s")),
                    h.path("unhealthyThreshold").asInt(2), h.path("healthyThreshold").asInt(1));
            services.put(e.getKey(), new ServiceConfig(e.getKey(), hosts, n.path("active").asString(null),
                    Units.duration(n.path("drainTimeout").asString(Units.format(Defaults.DRAIN_TIMEOUT))), n.path("maxBodySize").asLong(0),
                    n.path("maxInflight").asInt(0), check, colors));
            JsonNode k = n.path("kubernetes");
            if (k.isObject()) {
                origins.put(e.getKey(), new ServiceMapBuilder.Origin(k.path("namespace").asString(null),
                        k.path("service").asString(null), k.path("servingAnnotation").asString(null),
                        k.path("resourceVersion").asString(null)));
            }
        }
        if (!root.has("routes")) {
            return new ServiceMapBuilder.Result(services, origins);
        }
        List<RouteRule> rules = new ArrayList<>();
        for (JsonNode r : root.path("routes")) {
            rules.add(new RouteRule(r.path("host").asString(null), r.path("path").asString(null),
                    PathType.parse(r.path("pathType").asString(null)), r.path("service").asString(null)));
        }
        return new ServiceMapBuilder.Result(services, new Routes(rules, root.path("defaultService").asString(null)),
                origins);
    }
}
