package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import java.util.List;
import java.util.Objects;

/**
 * The certificate served to clients that ask (SNI) for one of {@code hosts}: exact names ({@code a.example}) or
 * one-label wildcards ({@code *.b.example} matches {@code x.b.example}, not {@code b.example} nor
 * {@code x.y.b.example}); an exact name wins over a wildcard.
 */
public record HostCertificate(List<String> hosts, CertificateFiles files) {

    public HostCertificate {
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(files, "files");
        if (hosts.isEmpty()) {
            throw new ConfigException("hosts: at least one host");
        }
    }
}
