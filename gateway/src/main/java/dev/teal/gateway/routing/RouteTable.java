package dev.teal.gateway.routing;

import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.config.Routes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The compiled routes of one configuration: which service (by index) a request goes to, from its Host header and its
 * request target. Compiled once per configuration; a lookup allocates nothing and does not scan the rules: one hash
 * lookup per host level (exact host, wildcard, no host) for Exact paths, and one per {@code /}-separated element of
 * the request path for Prefix paths.
 *
 * <p>Precedence, as the Ingress API states it, and how hosts fall through:
 * <ol>
 *   <li>The most precise host level that has a matching path: exact host, then {@code *.suffix} (exactly one label
 *       replaces the {@code *}), then rules without host. A host whose rules match no path falls through to the
 *       next level.</li>
 *   <li>Within a level the longest matching path: an Exact match (which spans the whole request path) beats any
 *       Prefix match; among Prefix rules the one with the most path elements wins. Prefix {@code /foo/} and
 *       {@code /foo} match the same requests; {@code /foo/} is given priority (the API's "longest matching path").</li>
 *   <li>No rule: the default service, else none ({@code -1}: the caller answers 404).</li>
 * </ol>
 * The path compared is the request target up to {@code ?} or {@code #}, as sent (not decoded), case-sensitive. An
 * absolute-form target ({@code http://host/path}) is compared by its path.
 */
public final class RouteTable {
    static final RouteTable EMPTY = compile(Routes.NONE, Map.of());

    /** The rules of one host level. */
    private static final class PathRules {
        final RegionMap<Integer> exact;
        final RegionMap<Integer> prefix;

        PathRules(Map<String, Integer> exact, Map<String, Integer> prefix) {
            this.exact = exact.isEmpty() ? null : new RegionMap<>(exact);
            this.prefix = prefix.isEmpty() ? null : new RegionMap<>(prefix);
        }

        int match(String uri, int from, int to) {
            if (exact != null) {
                Integer v = exact.get(uri, from, to, false);
                if (v != null) {
                    return v;
                }
            }
            if (prefix == null) {
                return -1;
            }
            Integer best = prefix.get(0, uri, from, from, false); // rule path "/": every path
            int h = 0;
            for (int i = from; i < to; i++) {
                char c = uri.charAt(i);
                if (c == '/' && i > from) {
                    Integer v = prefix.get(h, uri, from, i, false);
                    if (v != null) {
                        best = v;
                    }
                }
                h = 31 * h + c;
            }
            if (to > from && uri.charAt(to - 1) != '/') {
                Integer v = prefix.get(h, uri, from, to, false);
                if (v != null) {
                    best = v;
                }
            }
            return best == null ? -1 : best;
        }
    }

    /** Rules of one level while compiling. */
    private static final class Builder {
        final Map<String, Integer> exact = new HashMap<>();
        final Map<String, Integer> prefix = new HashMap<>();
        final Map<String, String> prefixWrittenAs = new HashMap<>();

        void add(RouteRule r, int target) {
            if (!r.pathType().isPrefix()) {
                exact.putIfAbsent(r.path(), target);
                return;
            }
            String key = prefixKey(r.path());
            String before = prefixWrittenAs.get(key);
            if (before == null || r.path().length() > before.length()) { // /foo/ over /foo
                prefix.put(key, target);
                prefixWrittenAs.put(key, r.path());
            }
        }

        PathRules build() {
            return new PathRules(exact, prefix);
        }
    }

    private final RegionMap<PathRules> exactHosts;
    private final RegionMap<PathRules> wildcardHosts;
    private final PathRules anyHost;
    private final int defaultTarget;
    private final int rules;

    private RouteTable(RegionMap<PathRules> exactHosts, RegionMap<PathRules> wildcardHosts, PathRules anyHost,
                       int defaultTarget, int rules) {
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
        this.defaultTarget = defaultTarget;
        this.rules = rules;
    }

    /**
     * Compiles routes whose services are numbered by {@code index}.
     *
     * @throws IllegalArgumentException when a rule names a service that has no index
     */
    public static RouteTable compile(Routes routes, Map<String, Integer> index) {
        Map<String, Builder> exact = new LinkedHashMap<>();
        Map<String, Builder> wildcard = new LinkedHashMap<>();
        Builder any = new Builder();
        for (RouteRule r : routes.rules()) {
            Integer target = index.get(r.service());
            if (target == null) {
                throw new IllegalArgumentException("route " + r + " names an unknown service");
            }
            if (r.host() == null) {
                any.add(r, target);
            } else if (r.host().startsWith("*.")) {
                wildcard.computeIfAbsent(r.host().substring(2), k -> new Builder()).add(r, target);
            } else {
                exact.computeIfAbsent(r.host(), k -> new Builder()).add(r, target);
            }
        }
        Integer def = routes.defaultService() == null ? null : index.get(routes.defaultService());
        return new RouteTable(new RegionMap<>(built(exact)), new RegionMap<>(built(wildcard)),
                any.exact.isEmpty() && any.prefix.isEmpty() ? null : any.build(), def == null ? -1 : def,
                routes.rules().size());
    }

    private static Map<String, PathRules> built(Map<String, Builder> builders) {
        Map<String, PathRules> out = new HashMap<>();
        builders.forEach((k, b) -> out.put(k, b.build()));
        return out;
    }

    /** A Prefix rule's path without trailing slashes ({@code /} becomes the empty string). */
    static String prefixKey(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** How many rules were compiled. */
    public int size() {
        return rules;
    }

    /**
     * The index of the service for a request, or -1 when nothing matches and there is no default.
     *
     * @param hostHeader the Host header (port, a trailing dot and case are ignored), or null
     * @param uri        the request target as received
     */
    public int match(String hostHeader, String uri) {
        int from;
        int to;
        if (uri == null || uri.isEmpty()) {
            from = 0;
            to = 0;
            uri = "";
        } else {
            from = uri.charAt(0) == '/' ? 0 : pathStartOfAbsoluteForm(uri);
            to = from;
            while (to < uri.length() && uri.charAt(to) != '?' && uri.charAt(to) != '#') {
                to++;
            }
        }
        if (hostHeader != null && !hostHeader.isEmpty()) {
            int hs = 0;
            int he = hostEnd(hostHeader);
            if (he > hs) {
                PathRules p = exactHosts.get(hostHeader, hs, he, true);
                if (p != null) {
                    int t = p.match(uri, from, to);
                    if (t >= 0) {
                        return t;
                    }
                }
                int dot = indexOf(hostHeader, '.', hs, he);
                if (dot > hs && dot + 1 < he) {
                    p = wildcardHosts.get(hostHeader, dot + 1, he, true);
                    if (p != null) {
                        int t = p.match(uri, from, to);
                        if (t >= 0) {
                            return t;
                        }
                    }
                }
            }
        }
        if (anyHost != null) {
            int t = anyHost.match(uri, from, to);
            if (t >= 0) {
                return t;
            }
        }
        return defaultTarget;
    }

    /** Where the host name of a Host header ends: before {@code :port} and a trailing dot ({@code [v6]} kept). */
    private static int hostEnd(String h) {
        int end = h.length();
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = h.lastIndexOf(':');
            if (colon >= 0) {
                end = colon;
            }
        }
        if (end > 0 && h.charAt(end - 1) == '.') {
            end--;
        }
        return end;
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** The start of the path of {@code scheme://authority/path}; the end of the target when it has no path. */
    private static int pathStartOfAbsoluteForm(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return uri.length(); // "*" (OPTIONS *) or garbage: no path
        }
        int i = scheme + 3;
        while (i < uri.length() && uri.charAt(i) != '/' && uri.charAt(i) != '?' && uri.charAt(i) != '#') {
            i++;
        }
        return i;
    }

    /** The index of the default service, or -1. */
    int defaultTarget() {
        return defaultTarget;
    }
}
