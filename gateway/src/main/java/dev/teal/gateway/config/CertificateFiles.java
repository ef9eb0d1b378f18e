package dev.teal.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A certificate chain and its private key, as PEM files: the chain leaf first; the key PKCS#8 ({@code BEGIN PRIVATE
 * KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}), unencrypted.
 */
public record CertificateFiles(Path cert, Path key) {

    public CertificateFiles {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }
}
