package dev.teal.gateway.proxy;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which plain-HTTP requests are answered with {@code 308} to HTTPS, and where to: {@code https://host[:port]/path?query}
 * (the port left out when it is 443). Hosts are exact names or one-label {@code *.} wildcards. Immutable.
 */
public final class SslRedirect {
    public static final SslRedirect NONE = new SslRedirect(Set.of(), 0);

    private final Set<String> exact = new HashSet<>();
    private final Set<String> wildcardSuffixes = new HashSet<>();
    private final String portSuffix;

    /** @param port the HTTPS port clients reach (443 is left out of the URL) */
    public SslRedirect(Collection<String> hosts, int port) {
        for (String h : hosts) {
            if (h.startsWith("*.")) {
                wildcardSuffixes.add(h.substring(2));
            } else {
                exact.add(h);
            }
        }
        this.portSuffix = port == 443 || port == 0 ? "" : ":" + port;
    }

    boolean isEmpty() {
        return exact.isEmpty() && wildcardSuffixes.isEmpty();
    }

    /** The {@code Location} for a plain-HTTP request, or null when its host is not redirected. */
    String location(String hostHeader, String uri) {
        if (hostHeader == null || isEmpty()) {
            return null;
        }
        String host = hostHeader;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            host = host.substring(0, colon);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        int dot = host.indexOf('.');
        boolean match = exact.contains(host) || dot > 0 && wildcardSuffixes.contains(host.substring(dot + 1));
        if (!match) {
            return null;
        }
        String path = uri.startsWith("/") ? uri : "/"; // an absolute-form or '*' target: the root
        return "https://" + host + portSuffix + path;
    }
}
