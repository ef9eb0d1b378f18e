package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Netty's request decoder made strict where Netty is lenient, so that nothing ambiguous is forwarded:
 * <ul>
 * <li>both {@code Content-Length} and {@code Transfer-Encoding}: failed, instead of silently dropping
 *     {@code Content-Length} (a request-smuggling vector; nginx answers 400);</li>
 * <li>obsolete line folding or whitespace before a colon in the head: failed, instead of repaired ({@link FieldLineGuard});</li>
 * <li>a control character or a byte outside ASCII in the request target: failed, instead of forwarded (Netty
 *     would read the bytes as Latin-1 and write them back as UTF-8, changing them);</li>
 * <li>an HTTP version not written exactly {@code HTTP/d.d} (Netty upper-cases {@code http/1.1}): failed;</li>
 * <li>a chunk extension without a name ({@code 5;}): failed before the chunk is forwarded ({@link ChunkLineGuard}).</li>
 * </ul>
 * A failed request is answered 400 by the frontend, which then closes the connection; the bytes after it are
 * discarded.
 */
final class ProxyRequestDecoder extends HttpRequestDecoder {
    static final String BOTH_LENGTHS = "both Content-Length and Transfer-Encoding";

    private final FieldLineGuard lines = new FieldLineGuard(this::createInvalidMessage);
    private final ChunkLineGuard chunks = new ChunkLineGuard();
    private boolean badChunk;

    /** The names this decoder split, which the heads it builds need not check again. */
    private final HeaderNames.Checked names;

    ProxyRequestDecoder(HttpDecoderConfig config) {
        this(config, new HeaderNames.Checked());
    }

    private ProxyRequestDecoder(HttpDecoderConfig config, HeaderNames.Checked names) {
        super(names.install(config));
        this.names = names;
    }

    // decode and decodeLast are the same in both decoders; their superclasses differ, so the logic is in FieldLineGuard
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (lines.refuses(in, out) || refusesChunk(in, out)) {
            return;
        }
        int from = out.size();
        int before = in.readerIndex();
        super.decode(ctx, in, out);
        chunks.consumed(in.readerIndex() - before);
        lines.decoded(out, from);
        for (int k = from; k < out.size(); k++) {
            Object m = out.get(k);
            if (m instanceof HttpRequest r && r.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(r)) {
                chunks.start();
            }
            if (m instanceof LastHttpContent) {
                chunks.stop();
            }
        }
    }

    /** A chunk-size line ahead is bad: a failed last content ends the request (400, connection closed). */
    private boolean refusesChunk(ByteBuf in, List<Object> out) {
        if (!badChunk && !chunks.foundBadLine(in)) {
            return false;
        }
        in.skipBytes(in.readableBytes());
        if (!badChunk) {
            badChunk = true;
            chunks.stop();
            LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            failed.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(ChunkLineGuard.EMPTY_EXTENSION)));
            out.add(failed);
        }
        return true;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (badChunk) {
            in.skipBytes(in.readableBytes());
            return;
        }
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
            if (b < 0) {
                throw new IllegalArgumentException("byte outside ASCII in the request target");
            }
        }
        return super.splitSecondWordInitialLine(sb, start, length);
    }

    @Override
    protected String splitThirdWordInitialLine(byte[] sb, int start, int length) {
        // exactly "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 2.3); an empty version is Netty's HTTP/0.9 case
        if (length > 0 && !(length == 8 && sb[start] == 'H' && sb[start + 1] == 'T' && sb[start + 2] == 'T'
                && sb[start + 3] == 'P' && sb[start + 4] == '/' && isDigit(sb[start + 5]) && sb[start + 6] == '.'
                && isDigit(sb[start + 7]))) {
            throw new IllegalArgumentException("malformed HTTP version");
        }
        return super.splitThirdWordInitialLine(sb, start, length);
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    @Override
    protected AsciiString splitHeaderName(byte[] sb, int start, int length) {
        FieldLineGuard.checkName(sb, start, length);
        return names.of(sb, start, length);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(BOTH_LENGTHS)));
    }
}
