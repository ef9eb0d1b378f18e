package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.util.List;

/**
 * Netty's request decoder made strict where Netty is lenient, so that nothing ambiguous is forwarded:
 * <ul>
 * <li>both {@code Content-Length} and {@code Transfer-Encoding}: failed, instead of silently dropping
 *     {@code Content-Length} (a request-smuggling vector; nginx answers 400);</li>
 * <li>obsolete line folding or whitespace before a colon in the head: failed, instead of repaired ({@link FieldLineGuard});</li>
 * <li>a control character in the request target: failed, instead of forwarded.</li>
 * </ul>
 * A failed request is answered 400 by the frontend, which then closes the connection; the bytes after it are
 * discarded.
 */
final class ProxyRequestDecoder extends HttpRequestDecoder {
    static final String BOTH_LENGTHS = "both Content-Length and Transfer-Encoding";

    private final FieldLineGuard lines = new FieldLineGuard(this::createInvalidMessage);

    ProxyRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    // decode and decodeLast are the same in both decoders; their superclasses differ, so the logic is in FieldLineGuard
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (lines.refuses(in, out)) {
            return;
        }
        int from = out.size();
        super.decode(ctx, in, out);
        lines.decoded(out, from);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (!lines.discards(in)) {
            super.decodeLast(ctx, in, out);
        }
    }

    @Override
    protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
        for (int i = start, end = start + length; i < end; i++) {
            byte b = sb[i];
            if ((b >= 0 && b <= ' ') || b == 0x7f) {
                throw new IllegalArgumentException("control character in the request target");
            }
        }
        return super.splitSecondWordInitialLine(sb, start, length);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(BOTH_LENGTHS)));
    }
}
