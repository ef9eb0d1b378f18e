package dev.teal.gateway.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * What crosses the gateway: hop-by-hop headers and those named in {@code Connection} are stripped both ways;
 * {@code X-Forwarded-*} are set (appended to only for trusted proxies); {@code Host} is kept.
 */
final class HeaderRules {
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");

    /** Removed from every message in both directions (and whatever its {@code Connection} names). */
    private static final AsciiString[] HOP_BY_HOP = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
            PROXY_CONNECTION, HttpHeaderNames.TE, HttpHeaderNames.TRAILER};
    /** What {@link #prepareRequest} drops, by [upgrade][trusted]: the fields it then sets are dropped here too. */
    private static final AsciiString[][][] REQUEST_DROPS = {
            {requestDrops(false, false), requestDrops(false, true)},
            {requestDrops(true, false), requestDrops(true, true)}};
    /** What {@link #prepareResponse} drops, by [upgrade]. */
    private static final AsciiString[][] RESPONSE_DROPS = {responseDrops(false), responseDrops(true)};

    private HeaderRules() {
    }

    private static AsciiString[] requestDrops(boolean upgrade, boolean trusted) {
        List<AsciiString> drop = new ArrayList<>(List.of(HOP_BY_HOP));
        drop.add(HttpHeaderNames.EXPECT); // the gateway answers 100-continue itself
        if (!upgrade) {
            drop.add(HttpHeaderNames.UPGRADE);
        }
        if (!trusted) {
            drop.addAll(List.of(X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST));
        }
        return drop.toArray(new AsciiString[0]);
    }

    private static AsciiString[] responseDrops(boolean upgrade) {
        List<AsciiString> drop = new ArrayList<>(List.of(HOP_BY_HOP));
        drop.add(HttpHeaderNames.PROXY_AUTHENTICATE);
        if (!upgrade) {
            drop.add(HttpHeaderNames.UPGRADE);
        }
        return drop.toArray(new AsciiString[0]);
    }

    /** True when the client asks to switch protocols (WebSocket and the like). */
    static boolean isUpgrade(HttpRequest req) {
        HttpHeaders h = req.headers();
        return h.contains(HttpHeaderNames.UPGRADE)
                && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Rewrites a client request, in place, for the upstream.
     *
     * @param clientIp the client address as text
     * @param trusted  whether the client is a trusted proxy whose {@code X-Forwarded-*} headers are kept
     * @param secure   whether the client connection is TLS ({@code X-Forwarded-Proto: https})
     */
    static void prepareRequest(HttpRequest req, boolean upgrade, String clientIp, boolean trusted, boolean secure) {
        HttpHeaders h = req.headers();
        removeConnectionTokens(h);
        // one pass drops the hop-by-hop fields, Expect, Upgrade unless upgrading, and the X-Forwarded-* set below
        // (unless the client is trusted); what is set again is appended in the same order as before
        String host = h.get(HttpHeaderNames.HOST);
        removeAll(h, REQUEST_DROPS[upgrade ? 1 : 0][trusted ? 1 : 0]);
        if (upgrade) {
            FlatHeaders.addKnownName(h, HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
        if (!trusted) {
            FlatHeaders.addKnownName(h, X_FORWARDED_FOR, clientIp);
            FlatHeaders.addKnownName(h, X_FORWARDED_PROTO, secure ? HTTPS : HTTP);
            if (host != null) {
                FlatHeaders.addKnownName(h, X_FORWARDED_HOST, host);
            }
        } else {
            String prior = h.get(X_FORWARDED_FOR);
            h.set(X_FORWARDED_FOR, prior == null || prior.isEmpty() ? clientIp : prior + ", " + clientIp);
            if (!h.contains(X_FORWARDED_PROTO)) {
                h.set(X_FORWARDED_PROTO, secure ? HTTPS : HTTP);
            }
            if (!h.contains(X_FORWARDED_HOST)) {
                if (host != null) {
                    h.set(X_FORWARDED_HOST, host);
                } else {
                    h.remove(X_FORWARDED_HOST);
                }
            }
        }
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Rewrites an upstream response, in place, for the client. */
    static void prepareResponse(HttpResponse res, boolean upgrade) {
        HttpHeaders h = res.headers();
        removeConnectionTokens(h);
        removeAll(h, RESPONSE_DROPS[upgrade ? 1 : 0]);
        if (upgrade) {
            h.add(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        }
    }

    private static void removeAll(HttpHeaders h, AsciiString[] drop) {
        if (h instanceof FlatHeaders flat) {
            flat.removeAll(drop);
        } else {
            for (AsciiString name : drop) {
                h.remove(name);
            }
        }
    }

    /** Removes the fields the (first) {@code Connection} field names; the hop-by-hop ones go with the drops. */
    private static void removeConnectionTokens(HttpHeaders h) {
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            int n = connection.length();
            int start = 0;
            while (start < n) {
                int comma = connection.indexOf(',', start);
                int end = comma < 0 ? n : comma;
                int s = start;
                int e = end;
                while (s < e && connection.charAt(s) <= ' ') {
                    s++;
                }
                while (e > s && connection.charAt(e - 1) <= ' ') {
                    e--;
                }
                // keep-alive and close (nearly every value) name no other field to remove: no substring for them
                if (s < e && !isToken(connection, s, e, "keep-alive") && !isToken(connection, s, e, "close")) {
                    String name = connection.substring(s, e);
                    if (!isFraming(name)) {
                        h.remove(name);
                    }
                }
                start = end + 1;
            }
        }
    }

    private static boolean isToken(String v, int start, int end, String token) {
        return end - start == token.length() && v.regionMatches(true, start, token, 0, token.length());
    }

    /** Headers a {@code Connection} token must not remove: they frame the message or route it. */
    private static boolean isFraming(String name) {
        return name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")
                || name.equalsIgnoreCase("transfer-encoding") || name.equalsIgnoreCase("upgrade");
    }
}
