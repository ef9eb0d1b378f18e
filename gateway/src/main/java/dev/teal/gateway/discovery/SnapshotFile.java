package dev.teal.gateway.discovery;

import dev.teal.gateway.config.ConfigException;
import dev.teal.gateway.config.HostPort;
import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.config.Units;
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
 *  "drainTimeout":"30s","colors":{"blue":["10.0.0.1:8080"],"green":["10.0.0.2:8080"]},
 *  "kubernetes":{"namespace":"default","service":"shop","servingAnnotation":"green","resourceVersion":"42"}}}}</pre>
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
            services.put(e.getKey(), new ServiceConfig(e.getKey(), hosts, n.path("active").asString(null),
                    Units.duration(n.path("drainTimeout").asString("30s")), 0, 0, null, colors));
            JsonNode k = n.path("kubernetes");
            if (k.isObject()) {
                origins.put(e.getKey(), new ServiceMapBuilder.Origin(k.path("namespace").asString(null),
                        k.path("service").asString(null), k.path("servingAnnotation").asString(null),
                        k.path("resourceVersion").asString(null)));
            }
        }
        return new ServiceMapBuilder.Result(services, origins);
    }
}
