package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;

/** Bytes of a tunneled message (after a 101); HTTP objects left over from the codecs give their content. */
final class TunnelBytes {
    private TunnelBytes() {
    }

    /** The bytes to pass on, or null (the message is released) when there are none. */
    static ByteBuf of(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b;
        }
        if (msg instanceof HttpContent c) {
            ByteBuf b = c.content();
            if (b.isReadable()) {
                return b;
            }
        }
        ReferenceCountUtil.release(msg);
        return null;
    }
}
