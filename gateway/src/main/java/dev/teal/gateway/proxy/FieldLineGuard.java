package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.function.Supplier;

/**
 * Finds what Netty's decoder would silently repair in a message head: obsolete line folding (a field line that starts
 * with a space or a tab; Netty folds it into the previous field) and whitespace between a field name and its colon
 * (Netty strips it from responses, and keeps it in a request's name). Two servers can read such a head in two ways, so
 * the gateway refuses it: 400 for a request, 502 for a response. One per decoder.
 *
 * <p>Whitespace in or after a field name is checked inside the decoder's own pass over the line, through its
 * {@code splitHeaderName} hook ({@link #checkName}): Netty hands the name with the byte that ended it. Folding has no
 * hook (Netty joins a folded line to the previous value without splitting it), so {@link #refuses} walks the head
 * ahead of the decoder from line start to line start ({@code indexOf} of the line feeds, eight bytes at a time) and
 * looks only at the first byte of each line; it does not move the reader index.
 *
 * <p>It relies on the decoder consuming only complete lines while it reads a head, so the reader index is at a
 * line start whenever a head is being read; a partial line is looked at again once it is complete.
 */
final class FieldLineGuard {
    static final String FOLDED = "obsolete line folding or whitespace before a colon";

    private final Supplier<HttpMessage> invalidMessage;
    private boolean inHead = true;
    private boolean sawStartLine;
    private boolean refused;

    /** @param invalidMessage the decoder's own failed message, as it makes one for anything else it refuses */
    FieldLineGuard(Supplier<HttpMessage> invalidMessage) {
        this.invalidMessage = invalidMessage;
    }

    /**
     * True when the decoder must not run: a line of the head at the reader index is bad (a failed message is added to
     * {@code out}, once) or an earlier one was. The bytes are discarded: the connection is closed after the answer.
     */
    boolean refuses(ByteBuf in, List<Object> out) {
        if (!refused && !foundBadLine(in)) {
            return false;
        }
        in.skipBytes(in.readableBytes());
        if (!refused) {
            refused = true;
            HttpMessage invalid = invalidMessage.get();
            invalid.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(FOLDED)));
            out.add(invalid);
        }
        return true;
    }

    /** At the end of input: true (and the bytes are discarded) when this message was refused already. */
    boolean discards(ByteBuf in) {
        if (refused) {
            in.skipBytes(in.readableBytes());
        }
        return refused;
    }

    /** True when a complete line of the head at or after the reader index is folded. */
    private boolean foundBadLine(ByteBuf in) {
        if (!inHead) {
            return false;
        }
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            int lf = in.indexOf(i, end, (byte) '\n');
            if (lf < 0) {
                return false;
            }
            boolean empty = lf == i || (lf == i + 1 && in.getByte(i) == '\r');
            if (!sawStartLine) {
                sawStartLine = !empty; // empty lines before the start line are skipped by the decoder
            } else if (empty) {
                inHead = false; // the head ends; the body is the decoder's business
                return false;
            } else if (isFolded(in.getByte(i))) {
                return true;
            }
            i = lf + 1;
        }
        return false;
    }

    /** After the decoder ran: a message that ended means the next byte starts a new head. */
    void decoded(List<Object> out, int from) {
        for (int k = out.size() - 1; k >= from; k--) {
            if (isLast(out.get(k))) {
                inHead = true;
                sawStartLine = false;
                return;
            }
        }
    }

    /**
     * {@code instanceof LastHttpContent}, with the two classes the decoders nearly always produce checked first: an
     * interface check on Netty's message classes, which implement many, costs a scan of their interfaces.
     */
    static boolean isLast(Object m) {
        return m == LastHttpContent.EMPTY_LAST_CONTENT || m.getClass() == DefaultLastHttpContent.class
                || m instanceof LastHttpContent;
    }

    private static boolean isFolded(byte first) {
        return first == ' ' || first == '\t';
    }

    /**
     * Called by the decoders' {@code splitHeaderName} with the name Netty found: a request's name runs up to the colon
     * (whitespace included), a response's up to the colon or the first whitespace, and {@code sb[start + length]} is
     * the byte that ended it. Whitespace in the name or ending it (so before the colon) is refused: the decoder turns
     * the exception into a failed message, as it does for anything else it refuses.
     */
    static void checkName(byte[] sb, int start, int length) {
        int end = Math.min(start + length, sb.length - 1); // the byte that ended the name is there: a colon was found
        for (int i = start; i <= end; i++) {
            if (sb[i] == ' ' || sb[i] == '\t') {
                throw new IllegalArgumentException(FOLDED);
            }
        }
    }
}
