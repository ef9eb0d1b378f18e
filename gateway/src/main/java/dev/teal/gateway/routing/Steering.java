package dev.teal.gateway.routing;

import dev.teal.contract.Preview;
import dev.teal.gateway.config.Cidr;
import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.upstream.ColorPool;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A request that names its color: preview (header or cookie, from allowed clients only) and the version-sticky window
 * (cookie {@value #STICKY_COOKIE}). Built from a service's configuration when either is on; a service with neither has
 * none, and its requests never look at these headers. Immutable; read by the event loops.
 *
 * <p>Preview: a request naming a color that is not the serving one goes to that color, or is refused with a one-line
 * reason (unknown color, no usable endpoint), never sent to the serving color instead. Sticky: a request carrying the
 * cookie of a color whose drain is open (its sticky window) goes to that color; every answer from the serving color to
 * a request without its cookie sets it.
 */
public final class Steering {
    /** The version cookie of the sticky window. */
    public static final String STICKY_COOKIE = "teal-v";
    private static final Pattern COLOR = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final String service;
    private final AsciiString header;
    private final String cookie;
    private final List<Cidr> from;
    private final boolean fromTrustedProxies;
    private final boolean preview;
    private final boolean sticky;

    private Steering(ServiceConfig sc) {
        this.service = sc.name();
        Preview p = sc.preview();
        this.preview = p != null;
        this.sticky = sc.sticky();
        this.header = p == null ? null : AsciiString.cached(p.header());
        this.cookie = p == null ? null : p.cookie();
        List<Cidr> cidrs = new ArrayList<>();
        boolean trusted = false;
        if (p != null) {
            for (String f : p.from()) {
                if (Preview.TRUSTED_PROXIES.equals(f)) {
                    trusted = true;
                } else {
                    cidrs.add(Cidr.parse(f)); // checked by Preview already
                }
            }
        }
        this.from = List.copyOf(cidrs);
        this.fromTrustedProxies = trusted;
    }

    /** The steering of a service, or null when it has neither preview nor sticky (requests are not looked at). */
    static Steering of(ServiceConfig sc) {
        return sc.preview() == null && !sc.sticky() ? null : new Steering(sc);
    }

    /**
     * Where a request goes and why.
     *
     * @param pool      the color; null when refused
     * @param kind      serving, preview or sticky
     * @param refusal   the one-line reason of a 503, or null
     * @param setCookie the {@code Set-Cookie} value the answer carries, or null
     */
    public record Choice(ColorPool pool, RouteKind kind, String refusal, String setCookie) {
    }

    /**
     * Chooses the color of one request.
     *
     * @param client        the TCP peer's address, or null when unknown
     * @param trustedClient the peer is one of the gateway's {@code trustedProxies}
     */
    public Choice choose(ServiceRoute route, HttpHeaders h, InetAddress client, boolean trustedClient) {
        ColorPool serving = route.serving();
        if (preview && mayPreview(client, trustedClient)) {
            String want = h.get(header);
            if (want == null || want.isBlank()) {
                want = cookie(h, cookie);
            }
            if (want != null && !(want = want.trim()).isEmpty() && !want.equals(serving.color())) {
                return previewOf(route, want);
            }
        }
        if (!sticky) {
            return new Choice(serving, RouteKind.SERVING, null, null);
        }
        String version = cookie(h, STICKY_COOKIE);
        if (version != null && !version.equals(serving.color())) {
            ColorPool old = route.service().pools().get(version);
            if (old != null && old.isStickyOpen()) {
                return new Choice(old, RouteKind.STICKY, null, null);
            }
        }
        return new Choice(serving, RouteKind.SERVING, null, serving.color().equals(version) ? null
                : cookieFor(serving));
    }

    private Choice previewOf(ServiceRoute route, String want) {
        ColorPool p = COLOR.matcher(want).matches() ? route.service().pools().get(want) : null;
        if (p == null) {
            String named = COLOR.matcher(want).matches() ? "'" + want + "'" : "the color named";
            return new Choice(null, RouteKind.PREVIEW, "preview: " + named + " is not a color of service "
                    + service, null);
        }
        if (p.usableEndpoints() == 0 || p.isUnreachable()) {
            return new Choice(null, RouteKind.PREVIEW, "preview: color '" + want + "' of service " + service
                    + " has no usable endpoint", null);
        }
        return new Choice(p, RouteKind.PREVIEW, null, null);
    }

    /**
     * Counts the request on its color (see {@link ServiceRuntime#tryStartRequest}). A sticky choice whose window
     * closed between the choice and the count goes to the serving color instead: the window closes before the drain
     * reads the old color's count, so a request the drain did not count never runs there. Null: over
     * {@code maxInflight}, nothing counted.
     */
    public Choice start(ServiceRoute route, Choice c) {
        ServiceRuntime svc = route.service();
        if (!svc.tryStartRequest(c.pool())) {
            return null;
        }
        if (c.kind() != RouteKind.STICKY) {
            return c;
        }
        if (c.pool().isStickyOpen()) {
            c.pool().countSticky();
            return c;
        }
        c.pool().requestEnded();
        ColorPool serving = route.serving();
        return svc.tryStartRequest(serving) ? new Choice(serving, RouteKind.SERVING, null, cookieFor(serving)) : null;
    }

    /**
     * Removes what steers from a request before it goes upstream: the preview header and cookie (whoever sent them)
     * and the version cookie; every other cookie pair is kept byte for byte.
     */
    public void strip(HttpHeaders h) {
        if (preview) {
            h.remove(header);
        }
        List<String> cookies = h.getAll(HttpHeaderNames.COOKIE);
        if (cookies.isEmpty()) {
            return;
        }
        List<String> kept = null;
        for (int i = 0; i < cookies.size(); i++) {
            String c = cookies.get(i);
            String rest = c;
            if (preview) {
                rest = CookiePairs.without(rest, cookie);
            }
            if (sticky && rest != null) {
                rest = CookiePairs.without(rest, STICKY_COOKIE);
            }
            if (rest != c && kept == null) {
                kept = new ArrayList<>(cookies.subList(0, i));
            }
            if (kept != null && rest != null) {
                kept.add(rest);
            }
        }
        if (kept != null) {
            h.remove(HttpHeaderNames.COOKIE);
            for (String k : kept) {
                h.add(HttpHeaderNames.COOKIE, k);
            }
        }
    }

    private boolean mayPreview(InetAddress client, boolean trustedClient) {
        if (from.isEmpty() && !fromTrustedProxies) {
            return true;
        }
        if (fromTrustedProxies && trustedClient) {
            return true;
        }
        if (client != null) {
            for (Cidr c : from) {
                if (c.contains(client)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String cookie(HttpHeaders h, String name) {
        List<String> all = h.getAll(HttpHeaderNames.COOKIE);
        for (String c : all) {
            String v = CookiePairs.value(c, name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** {@code teal-v=<color>; HttpOnly; SameSite=Lax; Path=/}: a session cookie. */
    static String cookieFor(ColorPool pool) {
        return STICKY_COOKIE + "=" + pool.color() + "; HttpOnly; SameSite=Lax; Path=/";
    }
}
