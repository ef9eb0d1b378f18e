package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * Response encoder that knows when it answers a HEAD request (no body follows, whatever the headers say), and writes
 * a decoded head's {@link FlatHeaders} without iterating entry objects.
 */
final class ProxyResponseEncoder extends HttpResponseEncoder {
    private boolean headRequest;

    /** Set by the frontend right before it writes a response head; writes happen on the event loop in order. */
    void answeringHead(boolean head) {
        this.headRequest = head;
    }

    @Override
    protected void encodeHeaders(HttpHeaders headers, ByteBuf buf) {
        if (!FlatHeaders.encode(headers, buf)) {
            super.encodeHeaders(headers, buf);
        }
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
        return headRequest || super.isContentAlwaysEmpty(msg);
    }
}
