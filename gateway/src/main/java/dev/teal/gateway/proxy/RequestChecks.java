package dev.teal.gateway.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.List;

/**
 * Requests the gateway refuses before any upstream sees a byte: anything the decoder could not read cleanly, and
 * anything two servers could read in two ways (request smuggling).
 */
final class RequestChecks {

    /** A refusal: the status and the short text the client sees. The connection is always closed after it. */
    record Refusal(HttpResponseStatus status, String text) {
    }

    private RequestChecks() {
    }

    /** Null when the request may go on. */
    static Refusal check(HttpRequest req, int maxHeaders) {
        DecoderResult dr = req.decoderResult();
        if (dr.isFailure()) {
            Throwable cause = dr.cause();
            if (cause instanceof TooLongHttpLineException) {
                return new Refusal(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
            }
            if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request header fields too large");
            }
            String m = cause == null ? null : cause.getMessage();
            if (ProxyRequestDecoder.BOTH_LENGTHS.equals(m)) {
                return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: " + m);
            }
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request");
        }
        if (req.protocolVersion().majorVersion() != 1) {
            return new Refusal(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, "HTTP version not supported");
        }
        HttpHeaders h = req.headers();
        if (h.size() > maxHeaders) {
            return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields");
        }
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            if (!isOnlyChunked(h)) {
                return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: unsupported Transfer-Encoding");
            }
            if (req.protocolVersion() == HttpVersion.HTTP_1_0) {
                return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: Transfer-Encoding in HTTP/1.0");
            }
        }
        if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            List<String> cl = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
            String first = cl.get(0).trim();
            if (!isDecimal(first)) {
                return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: invalid Content-Length");
            }
            for (String v : cl) {
                if (!v.trim().equals(first)) {
                    return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: conflicting Content-Length");
                }
            }
        }
        List<String> host = h.getAll(HttpHeaderNames.HOST);
        if (host.size() > 1 || (host.isEmpty() && req.protocolVersion() != HttpVersion.HTTP_1_0)) {
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: exactly one Host header is required");
        }
        if (!host.isEmpty() && !isHostValue(host.get(0).trim())) {
            // empty, a list, a path or userinfo: routing and the upstream could each read another host from it
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: invalid Host");
        }
        String uri = req.uri();
        if (uri.equals("*") && isStandardMethodOtherThanOptions(req.method())) {
            // RFC 9112 3.2.4: the asterisk form is for OPTIONS; extension methods (SSDP's M-SEARCH) keep their use
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: only OPTIONS may use the target *");
        }
        if (!uri.startsWith("/") && !uri.equals("*")
                && (host.isEmpty() || !host.get(0).trim().equalsIgnoreCase(authority(uri)))) {
            // routing reads Host, an upstream may read the absolute-form target: both must name the same host
            return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: request target and Host disagree");
        }
        return null;
    }

    /**
     * True when {@code Transfer-Encoding} is one field whose value is exactly {@code chunked}. Anything else
     * (another coding, a list, the field twice) is read differently by different servers, so the gateway refuses it
     * in requests (400) and in responses (502).
     */
    static boolean isOnlyChunked(HttpHeaders h) {
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        return te.size() == 1 && "chunked".equalsIgnoreCase(te.get(0).trim());
    }

    private static boolean isStandardMethodOtherThanOptions(HttpMethod m) {
        return m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.POST || m == HttpMethod.PUT
                || m == HttpMethod.DELETE || m == HttpMethod.CONNECT || m == HttpMethod.TRACE || m == HttpMethod.PATCH
                || "PRI".equals(m.name()); // the HTTP/2 connection preface is never an HTTP/1.1 request
    }

    /**
     * {@code uri-host [":" port]} (RFC 9110 7.2, RFC 3986 3.2.2): a reg-name of unreserved characters, percent-encoded
     * bytes and sub-delims other than the comma, or an IP literal in brackets, then an optional decimal port. No list,
     * path, userinfo or empty value.
     */
    static boolean isHostValue(String v) {
        int n = v.length();
        if (n == 0) {
            return false;
        }
        int i = 0;
        if (v.charAt(0) == '[') {
            int close = v.indexOf(']');
            if (close < 2) {
                return false;
            }
            for (int k = 1; k < close; k++) {
                char c = v.charAt(k);
                if (!(isAlnum(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            i = close + 1;
        } else {
            while (i < n && v.charAt(i) != ':') {
                char c = v.charAt(i);
                if (!(isAlnum(c) || "-._~%!$&'()*+;=".indexOf(c) >= 0)) {
                    return false;
                }
                i++;
            }
            if (i == 0) {
                return false;
            }
        }
        if (i == n) {
            return true;
        }
        if (v.charAt(i) != ':' || n - i - 1 > 5) {
            return false;
        }
        for (int k = i + 1; k < n; k++) {
            char c = v.charAt(k);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isDecimal(String v) {
        int n = v.length();
        if (n == 0 || n > 18) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The authority of an absolute-form target ({@code http://host:port/path}), or "" when it has none. */
    private static String authority(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme <= 0) {
            return "";
        }
        int start = scheme + 3;
        int end = start;
        while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?' && uri.charAt(end) != '#') {
            end++;
        }
        return uri.substring(start, end);
    }
}
