package dev.teal.gateway.config;

import dev.teal.contract.BackendProtocol;
import dev.teal.contract.ConfigException;
import dev.teal.contract.Defaults;
import dev.teal.contract.HealthCheck;
import dev.teal.contract.HostPort;
import dev.teal.contract.Names;
import dev.teal.contract.Preview;
import dev.teal.contract.Units;
import dev.teal.contract.guard.Guard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a YAML document into a {@link GatewayConfig}. Strict: an unknown key is an error (a typo must not silently
 * fall back to a default). Every error names its path, e.g. {@code services.shop.colors.blue[1]: 'x' is not host:port}.
 */
public final class ConfigParser {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Set<String> TOP = Set.of("listen", "admin", "workers", "accessLog", "timeouts", "limits",
            "upstream", "shutdown", "trustedProxies", "services", "routes", "metrics", "http2", "tls");
    private static final Set<String> ROUTE = Set.of("host", "path", "pathType", "service");
    private static final Set<String> SERVICE = Set.of("hosts", "active", "drainTimeout", "maxBodySize", "maxInflight",
            "healthCheck", "colors", "protocol", "preview", "sticky", "guard");
    private static final Set<String> GUARD = Set.of("errors", "p50", "p90", "p95", "p99", "p99.9", "window", "bake",
            "minRequests");

    private ConfigParser() {
    }

    public static GatewayConfig parse(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public static GatewayConfig parse(InputStream in) throws IOException {
        return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }

    public static GatewayConfig parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JacksonException e) {
            // the YAML parser's message spans several lines (with a snippet); an error is one line
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ConfigException("not valid YAML" + where + ": "
                    + String.valueOf(e.getOriginalMessage()).replaceAll("\\s*[\\r\\n]+\\s*", " ").trim());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException("the file is empty");
        }
        return parseRoot(new Node("", root));
    }

    private static GatewayConfig parseRoot(Node root) {
        root.requireObject(TOP);
        HostPort listen = root.optional("listen").map(Node::hostPort).orElse(new HostPort("0.0.0.0", 8080));
        HostPort admin = root.optional("admin").map(Node::hostPort).orElse(new HostPort("127.0.0.1", 9901));
        int workers = root.optional("workers").map(n -> n.integer(0, 256)).orElse(0);
        boolean accessLog = root.optional("accessLog").map(Node::bool).orElse(false);

        Timeouts d = Timeouts.DEFAULTS;
        Timeouts timeouts = root.optional("timeouts").map(t -> {
            t.requireObject(Set.of("connect", "response", "clientIdle", "upstreamIdle", "header", "body"));
            return t.build(() -> new Timeouts(
                    t.duration("connect", d.connect()), t.duration("response", d.response()),
                    t.duration("clientIdle", d.clientIdle()), t.duration("upstreamIdle", d.upstreamIdle()),
                    t.duration("header", d.header()), t.duration("body", d.body())));
        }).orElse(d);

        Limits l = Limits.DEFAULTS;
        Limits limits = root.optional("limits").map(t -> {
            t.requireObject(Set.of("maxRequestLine", "maxHeaderBytes", "maxHeaders", "maxConnections"));
            return t.build(() -> new Limits(
                    (int) t.size("maxRequestLine", l.maxRequestLine(), Integer.MAX_VALUE),
                    (int) t.size("maxHeaderBytes", l.maxHeaderBytes(), Integer.MAX_VALUE),
                    t.optional("maxHeaders").map(n -> n.integer(1, 10_000)).orElse(l.maxHeaders()),
                    t.optional("maxConnections").map(n -> n.integer(0, 10_000_000)).orElse(l.maxConnections())));
        }).orElse(l);

        UpstreamSettings u = UpstreamSettings.DEFAULTS;
        UpstreamSettings upstream = root.optional("upstream").map(t -> {
            t.requireObject(Set.of("maxConnectionsPerEndpoint", "ejectAfterFailures", "ejectionTime", "maxEjectedPercent",
                    "maxAttempts"));
            return t.build(() -> new UpstreamSettings(
                    t.optional("maxConnectionsPerEndpoint").map(n -> n.integer(0, 1_000_000)).orElse(u.maxConnectionsPerEndpoint()),
                    t.optional("ejectAfterFailures").map(n -> n.integer(1, 1000)).orElse(u.ejectAfterFailures()),
                    t.duration("ejectionTime", u.ejectionTime()),
                    t.optional("maxEjectedPercent").map(n -> n.integer(0, 100)).orElse(u.maxEjectedPercent()),
                    t.optional("maxAttempts").map(n -> n.integer(1, 10)).orElse(u.maxAttempts())));
        }).orElse(u);

        ShutdownSettings s = ShutdownSettings.DEFAULTS;
        ShutdownSettings shutdown = root.optional("shutdown").map(t -> {
            t.requireObject(Set.of("preStopDelay", "timeout"));
            return t.build(() -> new ShutdownSettings(t.duration("preStopDelay", s.preStopDelay()),
                    t.duration("timeout", s.timeout())));
        }).orElse(s);

        List<Cidr> trusted = root.optional("trustedProxies")
                .map(t -> t.list(n -> n.build(() -> Cidr.parse(n.string())))).orElse(List.of());

        MetricsSettings m = MetricsSettings.DEFAULTS;
        MetricsSettings metrics = root.optional("metrics").map(t -> {
            t.requireObject(Set.of("endpointSeries", "connectionSeries", "fineLatencyBuckets"));
            return t.build(() -> new MetricsSettings(
                    t.optional("endpointSeries").map(Node::bool).orElse(m.endpointSeries()),
                    t.optional("connectionSeries").map(Node::bool).orElse(m.connectionSeries()),
                    t.optional("fineLatencyBuckets").map(Node::bool).orElse(m.fineLatencyBuckets())));
        }).orElse(m);

        Http2Config h = Http2Config.DEFAULTS;
        Http2Config http2 = root.optional("http2").map(t -> {
            t.requireObject(Set.of("h2c", "maxConcurrentStreams", "maxResetsPerSecond", "maxQueuedControlFrames"));
            return t.build(() -> new Http2Config(
                    t.optional("h2c").map(Node::bool).orElse(h.h2c()),
                    t.optional("maxConcurrentStreams").map(n -> n.integer(1, 10_000)).orElse(h.maxConcurrentStreams()),
                    t.optional("maxResetsPerSecond").map(n -> n.integer(1, 1_000_000)).orElse(h.maxResetsPerSecond()),
                    t.optional("maxQueuedControlFrames").map(n -> n.integer(1, 1_000_000))
                            .orElse(h.maxQueuedControlFrames())));
        }).orElse(h);

        // optional: a settings-only file is what Kubernetes mode reads (services come from the cluster)
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        java.util.Optional<Node> servicesNode = root.optional("services");
        if (servicesNode.isPresent()) {
            Node all = servicesNode.get();
            all.requireObject(null);
            for (String name : all.keys()) {
                Node sn = all.required(name);
                services.put(name, sn.build(() -> service(name, sn)));
            }
        }
        List<RouteRule> explicit = root.optional("routes").map(t -> t.list(ConfigParser::route)).orElse(List.of());
        for (int i = 0; i < explicit.size(); i++) {
            if (!services.containsKey(explicit.get(i).service())) {
                throw new ConfigException("routes[" + i + "].service: no service '" + explicit.get(i).service() + "'");
            }
        }
        Routes routes = root.build(() -> Routes.of(services, explicit));
        TlsSettings tls = root.optional("tls").map(ConfigParser::tls).orElse(null);
        return root.build(() -> new GatewayConfig(listen, admin, workers, accessLog, timeouts, limits, upstream,
                shutdown, trusted, services, routes, metrics, http2, tls));
    }

    /**
     * {@code tls:}: {@code listen} (required), {@code default} ({@code cert}, {@code key}; optional) and
     * {@code certificates} (each {@code hosts}, {@code cert}, {@code key}), {@code sslRedirect} (hosts),
     * {@code redirectPort}.
     */
    private static TlsSettings tls(Node n) {
        n.requireObject(Set.of("listen", "default", "certificates", "sslRedirect", "redirectPort"));
        HostPort listen = n.required("listen").hostPort();
        CertificateFiles def = n.optional("default").map(d -> {
            d.requireObject(Set.of("cert", "key"));
            return files(d);
        }).orElse(null);
        List<HostCertificate> certs = n.optional("certificates").map(l -> l.list(c -> {
            c.requireObject(Set.of("hosts", "cert", "key"));
            List<String> hosts = c.required("hosts").list(x -> x.build(() -> Names.host(x.string())));
            CertificateFiles f = files(c);
            return c.build(() -> new HostCertificate(hosts, f));
        })).orElse(List.of());
        List<String> redirect = n.optional("sslRedirect")
                .map(l -> l.list(x -> x.build(() -> Names.host(x.string())))).orElse(List.of());
        int redirectPort = n.optional("redirectPort").map(p -> p.integer(0, 65535)).orElse(0);
        return n.build(() -> new TlsSettings(listen, def, certs, redirect, redirectPort));
    }

    private static CertificateFiles files(Node n) {
        return new CertificateFiles(path(n.required("cert")), path(n.required("key")));
    }

    private static Path path(Node n) {
        String s = n.string();
        if (s.isBlank()) {
            throw new ConfigException(n.path() + ": expected a file path");
        }
        return Path.of(s);
    }

    /**
     * One entry of {@code routes:}: {@code host} (optional), {@code path} (default /), {@code pathType} (default
     * Prefix), {@code service}.
     */
    private static RouteRule route(Node n) {
        n.requireObject(ROUTE);
        String host = n.optional("host").map(h -> h.build(() -> Names.host(h.string()))).orElse(null);
        String path = n.optional("path").map(Node::string).orElse("/");
        PathType type = n.optional("pathType").map(t -> t.build(() -> PathType.parse(t.string())))
                .orElse(PathType.PREFIX);
        String service = n.required("service").string();
        return n.build(() -> new RouteRule(host, path, type, service));
    }

    private static ServiceConfig service(String name, Node n) {
        n.requireObject(SERVICE);
        List<String> hosts = n.optional("hosts").map(h -> h.list(x -> x.build(() -> Names.host(x.string()))))
                .orElse(List.of());
        Node colorsNode = n.required("colors");
        colorsNode.requireObject(null);
        Map<String, List<HostPort>> colors = new LinkedHashMap<>();
        for (String color : colorsNode.keys()) {
            Node cn = colorsNode.required(color);
            cn.build(() -> Names.color(color));
            colors.put(color, cn.isNull() ? List.of() : cn.list(Node::hostPort));
        }
        String active = n.required("active").string();
        HealthCheck hc = n.optional("healthCheck").map(h -> {
            h.requireObject(Set.of("path", "interval", "timeout", "unhealthyThreshold", "healthyThreshold"));
            HealthCheck def = HealthCheck.defaults("/");
            return h.build(() -> new HealthCheck(h.optional("path").map(Node::string).orElse("/"),
                    h.duration("interval", def.interval()), h.duration("timeout", def.timeout()),
                    h.optional("unhealthyThreshold").map(x -> x.integer(1, 100)).orElse(def.unhealthyThreshold()),
                    h.optional("healthyThreshold").map(x -> x.integer(1, 100)).orElse(def.healthyThreshold())));
        }).orElse(null);
        return new ServiceConfig(name, hosts, active,
                n.duration("drainTimeout", Defaults.DRAIN_TIMEOUT),
                n.size("maxBodySize", 0, Long.MAX_VALUE),
                n.optional("maxInflight").map(x -> x.integer(0, 10_000_000)).orElse(0),
                hc, colors, n.optional("protocol").map(x -> x.build(() -> BackendProtocol.parse(x.string())))
                        .orElse(BackendProtocol.HTTP), n.optional("preview").map(ConfigParser::preview).orElse(null),
                n.optional("sticky").map(Node::bool).orElse(false),
                n.optional("guard").map(ConfigParser::guard).orElse(null));
    }

    /**
     * {@code preview: true|false}, or a mapping {@code {header, cookie, from}} (each optional; a mapping turns preview
     * on). {@code from} is a list of CIDRs and/or {@code trustedProxies}.
     */
    private static Preview preview(Node n) {
        if (!n.json().isObject()) {
            return n.bool() ? Preview.DEFAULTS : null;
        }
        n.requireObject(Set.of("header", "cookie", "from"));
        String header = n.optional("header").map(Node::string).orElse(Preview.DEFAULT_HEADER);
        String cookie = n.optional("cookie").map(Node::string).orElse(Preview.DEFAULT_COOKIE);
        List<String> from = n.optional("from").map(f -> f.list(Node::string)).orElse(List.of());
        return n.build(() -> new Preview(header, cookie, from));
    }

    /** {@code guard: "errors<1%, p99<500ms, ..."} or the same as a mapping ({@code errors: 1%}, {@code p99: 500ms}). */
    private static Guard guard(Node g) {
        if (g.json.isObject()) {
            g.requireObject(GUARD);
            Map<String, String> terms = new LinkedHashMap<>();
            for (String k : g.keys()) {
                terms.put(k, g.required(k).string());
            }
            return g.build(() -> Guard.of(terms));
        }
        return g.build(() -> Guard.parse(g.string()));
    }

    /** A YAML node with its path, for error messages. */
    private record Node(String path, JsonNode json) {

        String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        <T> T build(java.util.function.Supplier<T> f) {
            try {
                return f.get();
            } catch (ConfigException e) {
                String m = e.getMessage();
                // an error that already names a path at or under this node keeps it as it is
                if (path.isEmpty() || m.startsWith(path + ":") || m.startsWith(path + ".") || m.startsWith(path + "[")) {
                    throw e;
                }
                throw new ConfigException(path + ": " + e.getMessage());
            }
        }

        void requireObject(Set<String> allowed) {
            if (!json.isObject()) {
                throw new ConfigException((path.isEmpty() ? "the document" : path) + ": expected a mapping");
            }
            if (allowed != null) {
                for (String k : json.propertyNames()) {
                    if (!allowed.contains(k)) {
                        throw new ConfigException(at(k) + ": unknown key (known: " + new java.util.TreeSet<>(allowed) + ")");
                    }
                }
            }
        }

        List<String> keys() {
            return new ArrayList<>(json.propertyNames());
        }

        boolean isNull() {
            return json.isNull();
        }

        java.util.Optional<Node> optional(String key) {
            JsonNode v = json.get(key);
            return v == null || v.isNull() ? java.util.Optional.empty() : java.util.Optional.of(new Node(at(key), v));
        }

        Node required(String key) {
            JsonNode v = json.get(key);
            if (v == null) {
                throw new ConfigException(at(key) + ": required");
            }
            return new Node(at(key), v);
        }

        String string() {
            if (!json.isString() && !json.isNumber() && !json.isBoolean()) {
                throw new ConfigException(path + ": expected a string");
            }
            return json.asString();
        }

        boolean bool() {
            if (!json.isBoolean()) {
                throw new ConfigException(path + ": expected true or false");
            }
            return json.asBoolean();
        }

        int integer(int min, int max) {
            if (!json.isIntegralNumber() || json.asLong() < min || json.asLong() > max) {
                throw new ConfigException(path + ": expected a whole number within " + min + ".." + max);
            }
            return json.asInt();
        }

        HostPort hostPort() {
            return build(() -> HostPort.parse(string()));
        }

        Duration duration(String key, Duration def) {
            return optional(key).map(n -> n.build(() -> Units.duration(n.string()))).orElse(def);
        }

        long size(String key, long def, long max) {
            return optional(key).map(n -> {
                long v = n.build(() -> Units.size(n.string()));
                if (v > max) {
                    throw new ConfigException(n.path + ": at most " + max);
                }
                return v;
            }).orElse(def);
        }

        <T> List<T> list(java.util.function.Function<Node, T> each) {
            if (!json.isArray()) {
                throw new ConfigException(path + ": expected a list");
            }
            List<T> out = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) {
                out.add(each.apply(new Node(path + "[" + i + "]", json.get(i))));
            }
            return out;
        }
    }
}
