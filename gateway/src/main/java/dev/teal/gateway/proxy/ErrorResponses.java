package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The gateway's own answers: a status and a short plain-text body, never a stack trace or an internal address. */
final class ErrorResponses {
    private ErrorResponses() {
    }

    /** A {@code 308 Permanent Redirect} to {@code location}. */
    static FullHttpResponse redirect(String location, boolean close) {
        FullHttpResponse r = of(HttpResponseStatus.PERMANENT_REDIRECT, "redirecting to " + location, close);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        return r;
    }

    static FullHttpResponse of(HttpResponseStatus status, String text, boolean close) {
        ByteBuf body = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.SERVER, "teal");
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }
}
