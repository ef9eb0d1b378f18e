package dev.teal.gateway.proxy;

import dev.teal.gateway.routing.RouteKind;
import dev.teal.gateway.routing.ServiceRoute;
import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log ({@code accessLog: true}): one line per request that got an answer, on the logger
 * {@code teal.access}. Requests forwarded upstream name their endpoint (and {@code route=preview} or
 * {@code route=sticky} when the request chose its color); answers the gateway gives itself name their reason and
 * {@code -} for what is not known.
 */
final class AccessLog {
    private static final Logger ACCESS = LoggerFactory.getLogger("teal.access");

    private AccessLog() {
    }

    /** A forwarded request ended; {@code status} 0 means the client went away before an answer. */
    static void forwarded(Exchange ex, int status, long nanos, String clientIp, boolean secure) {
        var line = ACCESS.atInfo().addKeyValue("service", ex.service.name()).addKeyValue("color", ex.pool.color());
        if (ex.route != RouteKind.SERVING) {
            line = line.addKeyValue("route", ex.route.label()); // preview or sticky: not the serving color's traffic
        }
        line.addKeyValue("endpoint", ex.endpoint.address()).addKeyValue("method", ex.request.method())
                .addKeyValue("path", ex.request.uri()).addKeyValue("status", status == 0 ? "aborted" : status)
                .addKeyValue("ms", TimeUnit.NANOSECONDS.toMillis(nanos)).addKeyValue("client", clientIp)
                .addKeyValue("scheme", secure ? "https" : "http").log("request");
    }

    /** An answer the gateway gave itself; the head and route are null when not known. */
    static void refused(HttpRequest head, ServiceRoute route, int status, String reason, String clientIp,
                        boolean secure) {
        ACCESS.atInfo().addKeyValue("service", route == null ? "-" : route.service().name())
                .addKeyValue("color", route == null ? "-" : route.serving().color()).addKeyValue("endpoint", "-")
                .addKeyValue("method", head == null ? "-" : head.method())
                .addKeyValue("path", head == null ? "-" : head.uri()).addKeyValue("status", status)
                .addKeyValue("ms", 0).addKeyValue("client", clientIp).addKeyValue("scheme", secure ? "https" : "http")
                .addKeyValue("reason", reason).log("request");
    }
}
