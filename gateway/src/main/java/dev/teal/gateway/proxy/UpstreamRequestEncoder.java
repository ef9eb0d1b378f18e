package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequestEncoder;

/** Netty's request encoder, writing a decoded head's {@link FlatHeaders} without iterating entry objects. */
final class UpstreamRequestEncoder extends HttpRequestEncoder {
    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        if (!FlatHeaders.encode(headers, buf)) {
            super.encodeHeaders(headers, buf);
        }
    }
}
