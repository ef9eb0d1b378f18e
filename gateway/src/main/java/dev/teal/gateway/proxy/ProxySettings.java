package dev.teal.gateway.proxy;

import dev.teal.gateway.config.Cidr;
import dev.teal.gateway.config.GatewayConfig;
import java.net.InetAddress;
import java.util.List;

/** The parts of the configuration the handlers read per request, in the units they need. Replaced on reload. */
public record ProxySettings(long headerNanos, long bodyNanos, long clientIdleNanos, long responseNanos,
                            int maxHeaders, int maxConnections, List<Cidr> trustedProxies, boolean accessLog) {

    public static ProxySettings of(GatewayConfig c) {
        return new ProxySettings(c.timeouts().header().toNanos(), c.timeouts().body().toNanos(),
                c.timeouts().clientIdle().toNanos(), c.timeouts().response().toNanos(),
                c.limits().maxHeaders(), c.limits().maxConnections(), c.trustedProxies(), c.accessLog());
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
