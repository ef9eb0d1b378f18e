package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routing rules of a configuration and the service that gets what no rule matches.
 *
 * @param rules            every rule, each (host, path, prefix-or-exact) at most once
 * @param defaultService   the service for requests no rule matches, or null: those get {@code 404}
 * @param sslRedirectHosts hosts whose plain-HTTP requests are redirected to HTTPS (Ingresses with
 *                         {@code teal.dev/ssl-redirect: "true"}); exact names or {@code *.} wildcards
 */
public record Routes(List<RouteRule> rules, String defaultService, java.util.SortedSet<String> sslRedirectHosts) {
    public static final Routes NONE = new Routes(List.of(), null);

    /** Without redirects. */
    public Routes(List<RouteRule> rules, String defaultService) {
        this(rules, defaultService, new java.util.TreeSet<>());
    }

    public Routes {
        rules = List.copyOf(rules);
        sslRedirectHosts = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(sslRedirectHosts));
        Set<String> seen = new HashSet<>();
        for (RouteRule r : rules) {
            if (!seen.add(r.conflictKey())) {
                throw new ConfigException("route " + r + ": another route has the same host, path and pathType");
            }
        }
    }

    /**
     * The routes of a file: each {@code hosts:} entry is {@code path: /, pathType: Prefix} to its service, then the
     * explicit {@code routes:}; the one service with no hosts that no route names is the default.
     *
     * @throws ConfigException when a host belongs to two services, two services could be the default, or two routes
     *                         are the same
     */
    public static Routes of(Map<String, ServiceConfig> services, List<RouteRule> explicit) {
        List<RouteRule> rules = new ArrayList<>();
        Map<String, String> hostOwner = new HashMap<>();
        Set<String> named = new HashSet<>();
        explicit.forEach(r -> named.add(r.service()));
        List<String> defaults = new ArrayList<>();
        for (ServiceConfig s : services.values()) {
            if (s.isDefault() && !named.contains(s.name())) {
                defaults.add(s.name());
            }
            for (String h : s.hosts()) {
                String other = hostOwner.putIfAbsent(h, s.name());
                if (other != null) {
                    throw new ConfigException("host '" + h + "' belongs to both '" + other + "' and '" + s.name()
                            + "'");
                }
                rules.add(RouteRule.wholeHost(h, s.name()));
            }
        }
        if (defaults.size() > 1) {
            throw new ConfigException("only one service may have no hosts (the default); found " + defaults);
        }
        Set<String> keys = new HashSet<>();
        rules.forEach(r -> keys.add(r.conflictKey()));
        for (RouteRule r : explicit) {
            if (!keys.add(r.conflictKey())) {
                throw new ConfigException("route " + r + ": the same host, path and pathType is routed already"
                        + " (by another route or by a service's hosts)");
            }
            rules.add(r);
        }
        return new Routes(rules, defaults.isEmpty() ? null : defaults.get(0));
    }
}
