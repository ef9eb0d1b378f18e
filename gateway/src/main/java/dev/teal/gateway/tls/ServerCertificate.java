package dev.teal.gateway.tls;

import dev.teal.contract.status.TlsStatus;
import io.netty.handler.ssl.SslContext;
import java.time.Instant;
import java.util.List;

/**
 * A certificate ready to serve: its TLS context and what {@code /status} shows of it.
 *
 * @param hosts  the SNI names it is served for (empty for the default certificate)
 * @param source {@code file:/path}, {@code secret:namespace/name}, {@code self-signed}
 */
public record ServerCertificate(List<String> hosts, String subject, Instant notAfter, String source,
                                SslContext context) {

    public ServerCertificate {
        hosts = List.copyOf(hosts);
    }

    public ServerCertificate forHosts(List<String> newHosts, String newSource) {
        return new ServerCertificate(newHosts, subject, notAfter, newSource, context);
    }

    TlsStatus.Certificate status() {
        return new TlsStatus.Certificate(hosts.isEmpty() ? List.of("*") : hosts, subject, notAfter, source);
    }
}
