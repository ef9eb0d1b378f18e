package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * The HTTPS listener's part of {@code /status}: which TLS implementation runs and which certificates are served.
 *
 * @param provider     {@code openssl} (BoringSSL through netty-tcnative) or {@code jdk}
 * @param version      the provider's version ({@code BoringSSL}, or the Java runtime version)
 * @param listen       the HTTPS address
 * @param certificates the default certificate first, then per host
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TlsStatus(String provider, String version, String listen, List<Certificate> certificates) {

    public TlsStatus {
        certificates = certificates == null ? List.of() : List.copyOf(certificates);
    }

    /**
     * One certificate being served.
     *
     * @param hosts    the names it is served for ({@code *} for the default)
     * @param subject  the leaf certificate's subject
     * @param notAfter when the leaf certificate expires
     * @param source   where it came from: {@code file:/path}, {@code secret:namespace/name}, {@code self-signed}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Certificate(List<String> hosts, String subject, Instant notAfter, String source) {
    }
}
