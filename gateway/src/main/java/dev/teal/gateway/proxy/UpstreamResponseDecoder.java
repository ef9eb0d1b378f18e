package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Decodes upstream responses. Knows when the request was HEAD (no body), and holds responses to the same rules as
 * {@link ProxyRequestDecoder}: both {@code Content-Length} and {@code Transfer-Encoding}, or a field line Netty would repair,
 * mark the response failed (the client then gets 502 and the connection is not reused).
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {
    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String OK_CODE = "200";
    private static final String OK_REASON = "OK";

    private final FieldLineGuard lines = new FieldLineGuard(this::createInvalidMessage);
    private boolean headRequest;

    /** The names this decoder split, which the heads it builds need not check again. */
    private final HeaderNames.Checked names;

    UpstreamResponseDecoder(HttpDecoderConfig config) {
        this(config, new HeaderNames.Checked());
    }

    private UpstreamResponseDecoder(HttpDecoderConfig config, HeaderNames.Checked names) {
        super(names.install(config));
        this.names = names;
    }

    void expectingHead(boolean head) {
        this.headRequest = head;
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
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (headRequest && msg instanceof HttpResponse r && r.status().code() >= 200) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }

    // the status line of nearly every response is "HTTP/1.1 200 OK": its three words need not be new strings
    @Override
    protected String splitFirstWordInitialLine(byte[] sb, int start, int length) {
        return is(sb, start, length, HTTP_1_1) ? HTTP_1_1 : super.splitFirstWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitSecondWordInitialLine(byte[] sb, int start, int length) {
        return is(sb, start, length, OK_CODE) ? OK_CODE : super.splitSecondWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
        return is(sb, start, length, OK_REASON) ? OK_REASON : super.splitThirdWordInitialLine(sb, start, length);
    }

    private static boolean is(byte[] sb, int start, int length, String word) {
        if (length != word.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (sb[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        FieldLineGuard.checkName(sb, start, length);
        return names.of(sb, start, length);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(ProxyRequestDecoder.BOTH_LENGTHS)));
    }
}
