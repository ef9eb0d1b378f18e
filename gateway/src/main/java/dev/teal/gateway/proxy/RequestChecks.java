package dev.teal.gateway.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
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
        HttpHeaders h = req.headers();
        if (h.size() > maxHeaders) {
            return new Refusal(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "too many header fields");
        }
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!te.isEmpty()) {
            if (te.size() != 1 || !"chunked".equalsIgnoreCase(te.get(0).trim())) {
                return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: unsupported Transfer-Encoding");
            }
            if (req.protocolVersion() == HttpVersion.HTTP_1_0) {
                return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad request: Transfer-Encoding in HTTP/1.0");
            }
        }
        List<String> cl = h.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (!cl.isEmpty()) {
            String first = cl.get(0).trim();
            if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
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
        return null;
    }
}
