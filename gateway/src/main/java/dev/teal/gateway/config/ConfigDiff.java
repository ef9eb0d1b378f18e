package dev.teal.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What differs between two configurations, as config-file paths: {@code timeouts}, {@code services.shop.active},
 * {@code services.api (added)}. Used to say what a reload changed, and which restart-only key was changed.
 */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    /** The keys that take effect only after a restart ({@code listen}, {@code admin}, {@code workers},
     * {@code tls.listen}) and differ. */
    public static List<String> restartOnly(GatewayConfig a, GatewayConfig b) {
        List<String> out = new ArrayList<>();
        if (!a.listen().equals(b.listen())) {
            out.add("listen");
        }
        if (!a.admin().equals(b.admin())) {
            out.add("admin");
        }
        if (a.workers() != b.workers()) {
            out.add("workers");
        }
        if (!Objects.equals(tlsListen(a), tlsListen(b))) {
            out.add("tls.listen");
        }
        return out;
    }

    /** Every changed key, settings first, then services in the new file's order, then removed services. */
    public static List<String> between(GatewayConfig a, GatewayConfig b) {
        return between(a, b, null);
    }

    /**
     * As {@link #between(GatewayConfig, GatewayConfig)}; with {@code touched} (not null) the caller knows that
     * {@code b} has the same services as {@code a} under the same names, and that only those named in
     * {@code touched} may be other objects: only they are compared.
     */
    public static List<String> between(GatewayConfig a, GatewayConfig b, java.util.Collection<String> touched) {
        List<String> out = new ArrayList<>(restartOnly(a, b));
        add(out, "accessLog", a.accessLog(), b.accessLog());
        add(out, "timeouts", a.timeouts(), b.timeouts());
        add(out, "limits", a.limits(), b.limits());
        add(out, "http2", a.http2(), b.http2());
        add(out, "upstream", a.upstream(), b.upstream());
        add(out, "shutdown", a.shutdown(), b.shutdown());
        add(out, "trustedProxies", a.trustedProxies().stream().map(Cidr::toString).toList(),
                b.trustedProxies().stream().map(Cidr::toString).toList());
        add(out, "tls.default", a.tls() == null ? null : a.tls().defaultCertificate(),
                b.tls() == null ? null : b.tls().defaultCertificate());
        add(out, "tls.certificates", a.tls() == null ? null : a.tls().certificates(),
                b.tls() == null ? null : b.tls().certificates());
        add(out, "tls.sslRedirect", a.tls() == null ? null : a.tls().sslRedirect(),
                b.tls() == null ? null : b.tls().sslRedirect());
        add(out, "tls.redirectPort", a.tls() == null ? null : a.tls().redirectPort(),
                b.tls() == null ? null : b.tls().redirectPort());
        for (ServiceConfig s : b.services(touched)) {
            ServiceConfig old = a.services().get(s.name());
            if (old == s) {
                continue; // the same object (Kubernetes mode shares the ones no change touched)
            }
            String p = "services." + s.name();
            if (old == null) {
                out.add(p + " (added)");
                continue;
            }
            add(out, p + ".hosts", old.hosts(), s.hosts());
            add(out, p + ".active", old.active(), s.active());
            add(out, p + ".drainTimeout", old.drainTimeout(), s.drainTimeout());
            add(out, p + ".maxBodySize", old.maxBodySize(), s.maxBodySize());
            add(out, p + ".maxInflight", old.maxInflight(), s.maxInflight());
            add(out, p + ".protocol", old.protocol(), s.protocol());
            add(out, p + ".healthCheck", old.healthCheck(), s.healthCheck());
            add(out, p + ".guard", old.guard(), s.guard());
            add(out, p + ".colors", old.colors(), s.colors());
            add(out, p + ".preview", old.preview(), s.preview());
            add(out, p + ".sticky", old.sticky(), s.sticky());
        }
        for (String name : touched == null ? a.services().keySet() : List.<String>of()) {
            if (!b.services().containsKey(name)) {
                out.add("services." + name + " (removed)");
            }
        }
        return out;
    }

    private static Object tlsListen(GatewayConfig c) {
        return c.tls() == null ? null : c.tls().listen();
    }

    private static void add(List<String> out, String key, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(key);
        }
    }
}
