package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import dev.teal.contract.Names;
import java.util.Objects;

/**
 * One routing rule: requests for {@code host} (null: any host) whose path matches {@code path} by {@code pathType}
 * go to {@code service}. A rule's path is checked here, so nothing downstream sees a path it cannot match literally.
 *
 * @param host     an exact host name, {@code *.suffix} (exactly one extra DNS label), or null for every host
 * @param path     starts with {@code /}; no regular expression or {@code *}
 * @param pathType how the path is compared
 * @param service  the service the matching requests go to
 */
public record RouteRule(String host, String path, PathType pathType, String service) {

    public RouteRule {
        host = host == null || host.isEmpty() ? null : Names.host(host);
        Objects.requireNonNull(pathType, "pathType");
        checkPath(path, pathType);
        Names.service(service);
    }

    /** The rule a {@code hosts:} entry stands for: {@code path: /, pathType: Prefix}. */
    public static RouteRule wholeHost(String host, String service) {
        return new RouteRule(host, "/", PathType.PREFIX, service);
    }

    /**
     * What makes two rules the same for conflict detection: host, path and whether it is matched as a prefix
     * ({@code ImplementationSpecific} and {@code Prefix} are the same match).
     */
    public String conflictKey() {
        return (host == null ? "" : host) + " " + (pathType.isPrefix() ? "Prefix " : "Exact ") + path;
    }

    @Override
    public String toString() {
        return (host == null ? "*" : host) + path + " (" + pathType.apiName() + ") -> " + service;
    }

    /**
     * Checks a rule path: it starts with {@code /}, holds only characters a request path can hold literally, and no
     * regular-expression syntax or {@code *}. As the Kubernetes API does for {@code Exact} and {@code Prefix}, it
     * refuses {@code //}, {@code /./}, {@code /../} and an encoded {@code /}.
     *
     * @throws ConfigException naming what is wrong
     */
    public static void checkPath(String path, PathType type) {
        if (path == null || !path.startsWith("/")) {
            throw new ConfigException("path '" + path + "' must start with '/'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*') {
                throw new ConfigException("path '" + path + "': '*' is not allowed (" + type.apiName()
                        + " matches literally; use Prefix for everything below a path)");
            }
            if ("()[]{}^$|\\?#".indexOf(c) >= 0) {
                throw new ConfigException("path '" + path + "': '" + c + "' looks like a regular expression; "
                        + type.apiName() + " paths match literally");
            }
            if (c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '`') {
                throw new ConfigException("path '" + path + "': character " + (c <= ' ' || c >= 0x7f
                        ? String.format("U+%04X", (int) c) : "'" + c + "'") + " is not allowed in a path");
            }
        }
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        for (String bad : new String[] {"//", "/./", "/../", "%2f"}) {
            if (lower.contains(bad)) {
                throw new ConfigException("path '" + path + "' must not contain '" + bad + "'");
            }
        }
        if (path.endsWith("/..") || path.endsWith("/.")) {
            throw new ConfigException("path '" + path + "' must not end with '/.' or '/..'");
        }
    }
}
