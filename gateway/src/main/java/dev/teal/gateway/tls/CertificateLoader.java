package dev.teal.gateway.tls;

import dev.teal.contract.ConfigException;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Turns a PEM certificate chain and private key into a {@link ServerCertificate}: TLS 1.2 and 1.3 only, AEAD cipher
 * suites with forward secrecy only (no CBC, no RSA key exchange), ALPN {@code h2} (when HTTP/2 is installed) and
 * {@code http/1.1}. A chain without a certificate, a key it cannot read or a key that does not belong to the leaf
 * certificate is a {@link ConfigException} with one line saying which.
 */
public final class CertificateLoader {
    /** Offered in TLS 1.2; TLS 1.3's own suites are all AEAD and always on. */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final TlsProvider provider;
    private final boolean http2;

    /** @param http2 whether ALPN offers {@code h2} (an {@link Http2Installer} is present) */
    public CertificateLoader(TlsProvider provider, boolean http2) {
        this.provider = provider;
        this.http2 = http2;
    }

    public TlsProvider provider() {
        return provider;
    }

    /**
     * @param source for {@code /status} and errors: {@code file:/path}, {@code secret:ns/name}
     * @throws ConfigException naming {@code source} and what is wrong
     */
    public ServerCertificate load(byte[] certPem, byte[] keyPem, List<String> hosts, String source) {
        X509Certificate[] chain = chain(certPem, source);
        PrivateKey key = privateKey(keyPem, source);
        if (!belongs(key, chain[0].getPublicKey())) {
            throw new ConfigException(source + ": the private key does not belong to the certificate "
                    + chain[0].getSubjectX500Principal().getName());
        }
        return new ServerCertificate(hosts, chain[0].getSubjectX500Principal().getName(),
                chain[0].getNotAfter().toInstant(), source, context(key, chain, source));
    }

    private SslContext context(PrivateKey key, X509Certificate[] chain, String source) {
        List<String> alpn = http2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1);
        try {
            return SslContextBuilder.forServer(key, chain).sslProvider(provider.provider()).protocols(PROTOCOLS)
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn))
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new ConfigException(source + ": cannot build a TLS context: " + e.getMessage());
        }
    }

    private static X509Certificate[] chain(byte[] pem, String source) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(pem, "CERTIFICATE")) {
                out.add((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new ConfigException(source + ": not a PEM certificate: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new ConfigException(source + ": no CERTIFICATE block in the certificate file");
        }
        return out.toArray(X509Certificate[]::new);
    }

    private static PrivateKey privateKey(byte[] pem, String source) {
        List<byte[]> pkcs8 = blocks(pem, "PRIVATE KEY");
        List<byte[]> pkcs1 = blocks(pem, "RSA PRIVATE KEY");
        byte[] der;
        if (pkcs8.size() == 1 && pkcs1.isEmpty()) {
            der = pkcs8.get(0);
        } else if (pkcs1.size() == 1 && pkcs8.isEmpty()) {
            der = Der.pkcs8FromPkcs1Rsa(pkcs1.get(0));
        } else if (!blocks(pem, "EC PRIVATE KEY").isEmpty()) {
            throw new ConfigException(source + ": EC keys in SEC1 form are not read; convert the key with"
                    + " 'openssl pkcs8 -topk8 -nocrypt'");
        } else if (!blocks(pem, "ENCRYPTED PRIVATE KEY").isEmpty()) {
            throw new ConfigException(source + ": the private key is encrypted; give it unencrypted");
        } else {
            throw new ConfigException(source + ": expected one PRIVATE KEY or RSA PRIVATE KEY block in the key file");
        }
        for (String alg : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException(source + ": the private key is not an RSA, EC or Ed25519 key");
    }

    /** True when {@code key} signs what {@code pub} verifies. */
    private static boolean belongs(PrivateKey key, PublicKey pub) {
        if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
            return false;
        }
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        byte[] probe = "teal key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<byte[]> blocks(byte[] pem, String type) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = PEM.matcher(new String(pem, StandardCharsets.US_ASCII));
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }

    /** The few DER bits needed to wrap a PKCS#1 RSA key as PKCS#8. */
    static final class Der {
        private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
                (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

        private Der() {
        }

        static byte[] pkcs8FromPkcs1Rsa(byte[] pkcs1) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
            body.writeBytes(RSA_ALGORITHM);
            body.writeBytes(tlv(0x04, pkcs1));
            return tlv(0x30, body.toByteArray());
        }

        static byte[] tlv(int tag, byte[] value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int n = value.length;
            if (n < 0x80) {
                out.write(n);
            } else if (n < 0x100) {
                out.write(0x81);
                out.write(n);
            } else if (n < 0x10000) {
                out.write(0x82);
                out.write(n >> 8);
                out.write(n);
            } else {
                out.write(0x83);
                out.write(n >> 16);
                out.write(n >> 8);
                out.write(n);
            }
            out.writeBytes(value);
            return out.toByteArray();
        }
    }
}
