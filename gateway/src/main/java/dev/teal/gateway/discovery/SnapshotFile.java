package dev.teal.gateway.discovery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.teal.contract.BackendProtocol;
import dev.teal.contract.ConfigException;
import dev.teal.contract.Defaults;
import dev.teal.contract.HealthCheck;
import dev.teal.contract.HostPort;
import dev.teal.contract.Units;
import dev.teal.contract.guard.Guard;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

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
 *  "defaultService":null,"sslRedirectHosts":["shop.example.com"]}</pre>
 * The file is bound to the records below ({@link Document}) with Jackson, like the {@code /status} document; fields
 * a reader does not know are ignored and absent ones take their defaults, so files written by older gateways load. A
 * file without {@code routes} (written before routes existed) routes by each service's {@code hosts}; one without
 * {@code sslRedirectHosts} redirects nothing.
 */
public final class SnapshotFile {
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** The whole file; {@code routes} is null in a file written before routes existed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(Instant savedAt, Map<String, Service> services, List<Route> routes, String defaultService,
                    List<String> sslRedirectHosts) {
    }

    /** One service; durations are written the way the config file writes them ({@code 30s}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Service(List<String> hosts, String active, String drainTimeout, Long maxBodySize, Integer maxInflight,
                   Check healthCheck, Map<String, List<String>> colors, ServiceMapBuilder.Origin kubernetes,
                   String protocol, PreviewDoc preview, Boolean sticky,
                   @JsonInclude(JsonInclude.Include.NON_NULL) String guard) {
    }

    /** A service's preview settings; absent when preview is off. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PreviewDoc(String header, String cookie, List<String> from) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Check(String path, String interval, String timeout, Integer unhealthyThreshold, Integer healthyThreshold) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Route(String host, String path, String pathType, String service) {
    }

    private final Path path;

    public SnapshotFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public void save(ServiceMapBuilder.Result snapshot, Instant now) throws IOException {
        Map<String, Service> services = new LinkedHashMap<>();
        for (ServiceConfig s : snapshot.services().values()) {
            HealthCheck h = s.healthCheck();
            Map<String, List<String>> colors = new LinkedHashMap<>();
            s.colors().forEach((color, eps) -> colors.put(color, eps.stream().map(HostPort::toString).toList()));
            services.put(s.name(), new Service(s.hosts(), s.active(), Units.format(s.drainTimeout()), s.maxBodySize(),
                    s.maxInflight(), h == null ? null : new Check(h.path(), Units.format(h.interval()),
                    Units.format(h.timeout()), h.unhealthyThreshold(), h.healthyThreshold()), colors,
                    snapshot.origins().get(s.name()),
                    s.protocol() == BackendProtocol.HTTP ? null : s.protocol().text(),
                    s.preview() == null ? null
                    : new PreviewDoc(s.preview().header(), s.preview().cookie(), s.preview().from()),
                    s.sticky() ? Boolean.TRUE : null, s.guard() == null ? null : s.guard().text()));
        }
        List<Route> routes = snapshot.routes().rules().stream()
                .map(r -> new Route(r.host(), r.path(), r.pathType().apiName(), r.service())).toList();
        Document document = new Document(now, services, routes, snapshot.routes().defaultService(),
                List.copyOf(snapshot.routes().sslRedirectHosts()));
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
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
        Document root;
        try {
            root = JSON.readValue(Files.readString(path, StandardCharsets.UTF_8), Document.class);
        } catch (IOException | JacksonException e) {
            throw new ConfigException("snapshot " + path + " cannot be read: " + e.getMessage());
        }
        if (root == null) {
            throw new ConfigException("snapshot " + path + " cannot be read: it holds null");
        }
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        Map<String, ServiceMapBuilder.Origin> origins = new LinkedHashMap<>();
        Map<String, Service> saved = root.services() == null ? Map.of() : root.services();
        for (Map.Entry<String, Service> e : saved.entrySet()) {
            Service n = e.getValue();
            Map<String, List<HostPort>> colors = new LinkedHashMap<>();
            if (n.colors() != null) {
                n.colors().forEach((color, eps) -> colors.put(color,
                        eps == null ? List.of() : eps.stream().map(HostPort::parse).toList()));
            }
            Check h = n.healthCheck();
            HealthCheck check = h == null ? null : new HealthCheck(h.path(),
                    duration(h.interval(), Defaults.HEALTH_INTERVAL), duration(h.timeout(), Defaults.HEALTH_TIMEOUT),
                    h.unhealthyThreshold() == null ? Defaults.HEALTH_UNHEALTHY_THRESHOLD : h.unhealthyThreshold(),
                    h.healthyThreshold() == null ? Defaults.HEALTH_HEALTHY_THRESHOLD : h.healthyThreshold());
            services.put(e.getKey(), new ServiceConfig(e.getKey(), n.hosts() == null ? List.of() : n.hosts(),
                    n.active(), duration(n.drainTimeout(), Defaults.DRAIN_TIMEOUT),
                    n.maxBodySize() == null ? 0 : n.maxBodySize(), n.maxInflight() == null ? 0 : n.maxInflight(),
                    check, colors, n.protocol() == null ? BackendProtocol.HTTP : BackendProtocol.parse(n.protocol()),
                    n.preview() == null ? null : new dev.teal.contract.Preview(n.preview().header(),
                    n.preview().cookie(), n.preview().from() == null ? List.of() : n.preview().from()),
                    Boolean.TRUE.equals(n.sticky()), n.guard() == null ? null : Guard.parse(n.guard())));
            if (n.kubernetes() != null) {
                origins.put(e.getKey(), n.kubernetes());
            }
        }
        if (root.routes() == null) {
            return new ServiceMapBuilder.Result(services, origins);
        }
        List<RouteRule> rules = root.routes().stream()
                .map(r -> new RouteRule(r.host(), r.path(), PathType.parse(r.pathType()), r.service())).toList();
        return new ServiceMapBuilder.Result(services, new Routes(rules, root.defaultService(),
                root.sslRedirectHosts() == null ? new java.util.TreeSet<>()
                        : new java.util.TreeSet<>(root.sslRedirectHosts())), origins);
    }

    private static Duration duration(String text, Duration absent) {
        return text == null ? absent : Units.duration(text);
    }
}
