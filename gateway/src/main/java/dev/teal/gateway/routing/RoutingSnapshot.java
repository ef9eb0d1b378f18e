package dev.teal.gateway.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable: host to service route, and service name to route. Built off the event loops, read by them. */
public final class RoutingSnapshot {
    public static final RoutingSnapshot EMPTY = new RoutingSnapshot(List.of());

    private final Map<String, ServiceRoute> byName;
    private final Map<String, ServiceRoute> byHost;
    private final String[] wildcardSuffixes;
    private final ServiceRoute[] wildcardRoutes;
    private final ServiceRoute fallback;

    RoutingSnapshot(Collection<ServiceRoute> routes) {
        Map<String, ServiceRoute> names = new LinkedHashMap<>();
        Map<String, ServiceRoute> hosts = new HashMap<>();
        List<String> suffixes = new ArrayList<>();
        List<ServiceRoute> wildcards = new ArrayList<>();
        ServiceRoute def = null;
        for (ServiceRoute r : routes) {
            names.put(r.service().name(), r);
            List<String> hs = r.service().config().hosts();
            if (hs.isEmpty()) {
                def = r;
            }
            for (String h : hs) {
                if (h.startsWith("*.")) {
                    suffixes.add(h.substring(1));
                    wildcards.add(r);
                } else {
                    hosts.put(h, r);
                }
            }
        }
        this.byName = java.util.Collections.unmodifiableMap(names);
        this.byHost = Map.copyOf(hosts);
        this.wildcardSuffixes = suffixes.toArray(String[]::new);
        this.wildcardRoutes = wildcards.toArray(ServiceRoute[]::new);
        this.fallback = def;
    }

    /** The route for a Host header value (port and case ignored), or the default service, or null. */
    public ServiceRoute route(String hostHeader) {
        if (hostHeader != null && !hostHeader.isEmpty()) {
            String host = hostOnly(hostHeader);
            ServiceRoute r = byHost.get(host);
            if (r != null) {
                return r;
            }
            for (int i = 0; i < wildcardSuffixes.length; i++) {
                if (host.endsWith(wildcardSuffixes[i]) && host.length() > wildcardSuffixes[i].length()) {
                    return wildcardRoutes[i];
                }
            }
        }
        return fallback;
    }

    static String hostOnly(String header) {
        int end = header.length();
        if (header.charAt(0) == '[') {
            int close = header.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = header.lastIndexOf(':');
            if (colon >= 0) {
                end = colon;
            }
        }
        String h = end == header.length() ? header : header.substring(0, end);
        if (!h.isEmpty() && h.charAt(h.length() - 1) == '.') {
            h = h.substring(0, h.length() - 1);
        }
        return h.toLowerCase(java.util.Locale.ROOT);
    }

    public ServiceRoute service(String name) {
        return byName.get(name);
    }

    public Collection<ServiceRoute> services() {
        return byName.values();
    }

    RoutingSnapshot with(ServiceRoute changed) {
        Map<String, ServiceRoute> copy = new LinkedHashMap<>(byName);
        copy.put(changed.service().name(), changed);
        return new RoutingSnapshot(copy.values());
    }
}
