package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import dev.teal.contract.HostPort;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The HTTPS listener ({@code tls:} in the config file): its address, the certificates per host (SNI) and the
 * certificate for every other host. The listener ends in the same HTTP/1.1 proxy as the plain one.
 *
 * @param listen             the HTTPS address (not the plain listener's); takes effect only after a restart
 * @param defaultCertificate served when the client names no host or one no entry holds; null: a self-signed
 *                           certificate generated at start (logged)
 * @param certificates       per host; a host appears in one entry only
 * @param sslRedirect        hosts whose plain-HTTP requests get {@code 308} to {@code https://} (exact or {@code *.})
 * @param redirectPort       the port in those redirects ({@code 443} is left out of the URL); 0: the listen port
 */
public record TlsSettings(HostPort listen, CertificateFiles defaultCertificate, List<HostCertificate> certificates,
                          List<String> sslRedirect, int redirectPort) {

    /** Without redirects. */
    public TlsSettings(HostPort listen, CertificateFiles defaultCertificate, List<HostCertificate> certificates) {
        this(listen, defaultCertificate, certificates, List.of(), 0);
    }

    public TlsSettings {
        Objects.requireNonNull(listen, "listen");
        certificates = List.copyOf(certificates);
        sslRedirect = List.copyOf(sslRedirect);
        if (redirectPort < 0 || redirectPort > 65535) {
            throw new ConfigException("redirectPort must be within 0..65535 (0: the listen port)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < certificates.size(); i++) {
            for (String h : certificates.get(i).hosts()) {
                if (!seen.add(h)) {
                    throw new ConfigException("certificates[" + i + "].hosts: '" + h + "' is in an earlier entry too");
                }
            }
        }
    }

    /** The port redirects name: {@code redirectPort}, else the listen port. */
    public int effectiveRedirectPort(int boundPort) {
        return redirectPort != 0 ? redirectPort : boundPort;
    }

    /** Every file pair, the default first (for the watcher). */
    public List<CertificateFiles> allFiles() {
        java.util.ArrayList<CertificateFiles> out = new java.util.ArrayList<>();
        if (defaultCertificate != null) {
            out.add(defaultCertificate);
        }
        certificates.forEach(c -> out.add(c.files()));
        return out;
    }
}
