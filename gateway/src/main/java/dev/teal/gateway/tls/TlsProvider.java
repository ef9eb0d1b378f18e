package dev.teal.gateway.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Which TLS implementation the HTTPS listener uses: BoringSSL through netty-tcnative ({@code openssl}) when its
 * library loads and supports ALPN, the JDK's otherwise ({@code jdk}). {@code -Dteal.tls.provider=jdk} forces the JDK.
 *
 * @param why why this one: the OpenSSL version, or why OpenSSL did not load
 */
public record TlsProvider(String name, SslProvider provider, String version, String why) {

    public static TlsProvider detect() {
        if ("jdk".equals(System.getProperty("teal.tls.provider"))) {
            return jdk("forced by -Dteal.tls.provider=jdk");
        }
        if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
            return new TlsProvider("openssl", SslProvider.OPENSSL, OpenSsl.versionString(), "native library loaded");
        }
        Throwable cause = OpenSsl.unavailabilityCause();
        return jdk(cause == null ? "OpenSSL without ALPN" : "OpenSSL unavailable: " + cause);
    }

    public static TlsProvider jdk(String why) {
        return new TlsProvider("jdk", SslProvider.JDK, "Java " + Runtime.version(), why);
    }
}
