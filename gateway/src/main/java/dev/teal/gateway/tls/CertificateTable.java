package dev.teal.gateway.tls;

import io.netty.handler.ssl.SslContext;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which certificate a client naming a host gets: an exact name, else a one-label wildcard ({@code *.b.example} for
 * {@code x.b.example}), else the default. Immutable: a reload builds a new table and swaps it in one reference.
 */
final class CertificateTable {
    private final Map<String, ServerCertificate> exact = new HashMap<>();
    private final Map<String, ServerCertificate> wildcard = new HashMap<>(); // keyed by the suffix after "*."
    private final ServerCertificate fallback;
    private final List<ServerCertificate> all;

    /** @param certificates earlier entries win a host both name; {@code fallback} first in {@link #all} */
    CertificateTable(ServerCertificate fallback, List<ServerCertificate> certificates) {
        this.fallback = fallback;
        for (ServerCertificate c : certificates) {
            for (String h : c.hosts()) {
                if (h.startsWith("*.")) {
                    wildcard.putIfAbsent(h.substring(2), c);
                } else {
                    exact.putIfAbsent(h, c);
                }
            }
        }
        java.util.ArrayList<ServerCertificate> list = new java.util.ArrayList<>();
        list.add(fallback);
        list.addAll(certificates);
        this.all = List.copyOf(list);
    }

    /** The certificate for an SNI name; null or an unknown name gets the default. */
    ServerCertificate lookup(String sniHost) {
        if (sniHost == null || sniHost.isEmpty()) {
            return fallback;
        }
        String h = sniHost.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        ServerCertificate c = exact.get(h);
        if (c != null) {
            return c;
        }
        int dot = h.indexOf('.');
        if (dot > 0) {
            c = wildcard.get(h.substring(dot + 1));
            if (c != null) {
                return c;
            }
        }
        return fallback;
    }

    SslContext context(String sniHost) {
        return lookup(sniHost).context();
    }

    /** The default first, then the others in order. */
    List<ServerCertificate> all() {
        return all;
    }
}
