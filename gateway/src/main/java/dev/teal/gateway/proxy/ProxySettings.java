package dev.teal.gateway.proxy;

import dev.teal.gateway.config.Cidr;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.config.Http2Config;
import java.net.InetAddress;
import java.util.List;

/**
 * The parts of the configuration the handlers read per request, in the units they need. Replaced on reload.
 * {@code maxHeaderBytes} bounds an HTTP/2 client's decoded header list; {@code shutdownNanos} how long an HTTP/2
 * connection that got GOAWAY waits for its open streams.
 */
public record ProxySettings(long headerNanos, long bodyNanos, long clientIdleNanos, long responseNanos,
                            int maxHeaders, int maxConnections, List<Cidr> trustedProxies, boolean accessLog,
                            AttemptPolicy attempts, int maxHeaderBytes, long shutdownNanos, Http2Config http2,
                            SslRedirect sslRedirect) {

    /** Settings with the default HTTP/2 settings and no redirects to HTTPS. */
    public ProxySettings(long headerNanos, long bodyNanos, long clientIdleNanos, long responseNanos, int maxHeaders,
                         int maxConnections, List<Cidr> trustedProxies, boolean accessLog, AttemptPolicy attempts) {
        this(headerNanos, bodyNanos, clientIdleNanos, responseNanos, maxHeaders, maxConnections, trustedProxies,
                accessLog, attempts, 64 * 1024, 30_000_000_000L, Http2Config.DEFAULTS, SslRedirect.NONE);
    }

    /** Settings with the default attempt policy. */
    public ProxySettings(long headerNanos, long bodyNanos, long clientIdleNanos, long responseNanos, int maxHeaders,
                         int maxConnections, List<Cidr> trustedProxies, boolean accessLog) {
        this(headerNanos, bodyNanos, clientIdleNanos, responseNanos, maxHeaders, maxConnections, trustedProxies,
                accessLog, new AttemptPolicy(AttemptPolicy.DEFAULT_MAX_ATTEMPTS));
    }

    public static ProxySettings of(GatewayConfig c) {
        return of(c, c.tls() == null ? 0 : c.tls().listen().port());
    }

    /**
     * @param httpsPort the HTTPS listener's bound port (redirects name it unless {@code tls.redirectPort} is set);
     *                  without {@code tls:} nothing is redirected (there is no HTTPS to send clients to)
     */
    public static ProxySettings of(GatewayConfig c, int httpsPort) {
        SslRedirect redirect = SslRedirect.NONE;
        if (c.tls() != null) {
            java.util.Set<String> hosts = new java.util.TreeSet<>(c.tls().sslRedirect());
            hosts.addAll(c.routes().sslRedirectHosts());
            redirect = new SslRedirect(hosts, c.tls().effectiveRedirectPort(httpsPort));
        }
        return new ProxySettings(c.timeouts().header().toNanos(), c.timeouts().body().toNanos(),
                c.timeouts().clientIdle().toNanos(), c.timeouts().response().toNanos(),
                c.limits().maxHeaders(), c.limits().maxConnections(), c.trustedProxies(), c.accessLog(),
                new AttemptPolicy(c.upstream().maxAttempts()), c.limits().maxHeaderBytes(),
                c.shutdown().timeout().toNanos(), c.http2(), redirect);
    }

    /** The shortest of the client timeouts: the client timer never sleeps longer (see ClientTimeouts). */
    long shortestClientNanos() {
        return Math.min(headerNanos, Math.min(bodyNanos, clientIdleNanos));
    }

    boolean isTrusted(InetAddress address) {
        for (Cidr c : trustedProxies) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
