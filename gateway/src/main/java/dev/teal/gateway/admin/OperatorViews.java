package dev.teal.gateway.admin;

import dev.teal.contract.BuildInfo;
import dev.teal.contract.HealthCheck;
import dev.teal.contract.HostPort;
import dev.teal.contract.Units;
import dev.teal.gateway.config.Cidr;
import dev.teal.gateway.config.CertificateFiles;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.config.HostCertificate;
import dev.teal.gateway.config.ReloadResult;
import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.config.ServiceConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents of the operator endpoints: {@code GET /version}, {@code GET /config} and {@code POST /reload}.
 * {@code /config}'s {@code config} object is written in the config file's own keys and units, every default filled
 * in, so it is itself a valid configuration file (JSON is YAML).
 */
final class OperatorViews {
    private OperatorViews() {
    }

    static ObjectNode version() {
        BuildInfo b = BuildInfo.current();
        ObjectNode n = StatusView.JSON.createObjectNode();
        n.put("version", b.version());
        n.put("revision", b.revision());
        n.put("java", b.java());
        return n;
    }

    static ObjectNode reload(ReloadResult r) {
        ObjectNode n = StatusView.JSON.createObjectNode();
        n.put("result", switch (r.outcome()) {
            case APPLIED -> "applied";
            case REJECTED -> "rejected";
            case NOT_RELOADABLE -> "not reloadable";
        });
        strings(n.putArray("changed"), r.changed());
        strings(n.putArray("errors"), r.errors());
        strings(n.putArray("notes"), r.notes());
        return n;
    }

    private static void files(ObjectNode n, CertificateFiles f) {
        n.put("cert", f.cert().toString());
        n.put("key", f.key().toString());
    }

    static ObjectNode config(GatewayConfig c, String source) {
        ObjectNode root = StatusView.JSON.createObjectNode();
        root.put("source", source);
        root.put("eventLoopThreads", c.eventLoopThreads());
        ObjectNode n = root.putObject("config");
        n.put("listen", c.listen().toString());
        n.put("admin", c.admin().toString());
        n.put("workers", c.workers());
        n.put("accessLog", c.accessLog());
        ObjectNode t = n.putObject("timeouts");
        t.put("connect", Units.format(c.timeouts().connect()));
        t.put("response", Units.format(c.timeouts().response()));
        t.put("clientIdle", Units.format(c.timeouts().clientIdle()));
        t.put("upstreamIdle", Units.format(c.timeouts().upstreamIdle()));
        t.put("header", Units.format(c.timeouts().header()));
        t.put("body", Units.format(c.timeouts().body()));
        ObjectNode l = n.putObject("limits");
        l.put("maxRequestLine", c.limits().maxRequestLine());
        l.put("maxHeaderBytes", c.limits().maxHeaderBytes());
        l.put("maxHeaders", c.limits().maxHeaders());
        l.put("maxConnections", c.limits().maxConnections());
        ObjectNode h2 = n.putObject("http2");
        h2.put("h2c", c.http2().h2c());
        h2.put("maxConcurrentStreams", c.http2().maxConcurrentStreams());
        h2.put("maxResetsPerSecond", c.http2().maxResetsPerSecond());
        h2.put("maxQueuedControlFrames", c.http2().maxQueuedControlFrames());
        ObjectNode u = n.putObject("upstream");
        u.put("maxConnectionsPerEndpoint", c.upstream().maxConnectionsPerEndpoint());
        u.put("ejectAfterFailures", c.upstream().ejectAfterFailures());
        u.put("ejectionTime", Units.format(c.upstream().ejectionTime()));
        u.put("maxEjectedPercent", c.upstream().maxEjectedPercent());
        u.put("maxAttempts", c.upstream().maxAttempts());
        ObjectNode sd = n.putObject("shutdown");
        sd.put("preStopDelay", Units.format(c.shutdown().preStopDelay()));
        sd.put("timeout", Units.format(c.shutdown().timeout()));
        strings(n.putArray("trustedProxies"), c.trustedProxies().stream().map(Cidr::toString).toList());
        ObjectNode services = n.putObject("services");
        for (ServiceConfig s : c.services().values()) {
            ObjectNode sn = services.putObject(s.name());
            strings(sn.putArray("hosts"), s.hosts());
            sn.put("active", s.active());
            sn.put("drainTimeout", Units.format(s.drainTimeout()));
            sn.put("maxBodySize", s.maxBodySize());
            sn.put("maxInflight", s.maxInflight());
            sn.put("protocol", s.protocol().text());
            if (s.preview() == null) {
                sn.put("preview", false);
            } else {
                ObjectNode pn = sn.putObject("preview");
                pn.put("header", s.preview().header());
                pn.put("cookie", s.preview().cookie());
                strings(pn.putArray("from"), s.preview().from());
            }
            sn.put("sticky", s.sticky());
            HealthCheck h = s.healthCheck();
            if (h == null) {
                sn.putNull("healthCheck");
            } else {
                ObjectNode hn = sn.putObject("healthCheck");
                hn.put("path", h.path());
                hn.put("interval", Units.format(h.interval()));
                hn.put("timeout", Units.format(h.timeout()));
                hn.put("unhealthyThreshold", h.unhealthyThreshold());
                hn.put("healthyThreshold", h.healthyThreshold());
            }
            if (s.guard() == null) {
                sn.putNull("guard");
            } else {
                sn.put("guard", s.guard().text());
            }
            ObjectNode colors = sn.putObject("colors");
            for (Map.Entry<String, List<HostPort>> e : s.colors().entrySet()) {
                strings(colors.putArray(e.getKey()), e.getValue().stream().map(HostPort::toString).toList());
            }
        }
        routes(n.putArray("routes"), c);
        ObjectNode m = n.putObject("metrics");
        m.put("endpointSeries", c.metrics().endpointSeries());
        m.put("connectionSeries", c.metrics().connectionSeries());
        m.put("fineLatencyBuckets", c.metrics().fineLatencyBuckets());
        if (c.tls() != null) {
            ObjectNode tn = n.putObject("tls");
            tn.put("listen", c.tls().listen().toString());
            if (c.tls().defaultCertificate() != null) {
                files(tn.putObject("default"), c.tls().defaultCertificate());
            }
            strings(tn.putArray("sslRedirect"), c.tls().sslRedirect());
            tn.put("redirectPort", c.tls().redirectPort());
            var certs = tn.putArray("certificates");
            for (HostCertificate hc : c.tls().certificates()) {
                ObjectNode cn = certs.addObject();
                strings(cn.putArray("hosts"), hc.hosts());
                files(cn, hc.files());
            }
        }
        return root;
    }

    /** The explicit {@code routes:}: every rule but those a service's {@code hosts:} entry stands for. */
    private static void routes(ArrayNode out, GatewayConfig c) {
        Set<RouteRule> fromHosts = new HashSet<>();
        for (ServiceConfig s : c.services().values()) {
            for (String h : s.hosts()) {
                fromHosts.add(RouteRule.wholeHost(h, s.name()));
            }
        }
        for (RouteRule r : c.routes().rules()) {
            if (fromHosts.contains(r)) {
                continue;
            }
            ObjectNode rn = out.addObject();
            if (r.host() != null) {
                rn.put("host", r.host());
            }
            rn.put("path", r.path());
            rn.put("pathType", r.pathType().apiName());
            rn.put("service", r.service());
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
