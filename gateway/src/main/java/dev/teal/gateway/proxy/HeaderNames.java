package dev.teal.gateway.proxy;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.AsciiString;

/**
 * Field names the decoders have met, so that a head's names are shared objects rather than new ones per field: a
 * connection sends the same names request after request, and so do most clients. Keyed by the exact bytes (case
 * included: a name is forwarded as the client wrote it). Shared by all event loops without locks: a slot holds an
 * immutable {@link AsciiString}, and a race only costs a miss.
 */
final class HeaderNames {
    private static final int SLOTS = 1024;
    private static final AsciiString[] CACHE = new AsciiString[SLOTS];

    private HeaderNames() {
    }

    /**
     * The name one decoder split last. Every name {@link #of} returns is a valid token (checked once, when it entered
     * the cache), so the heads that decoder builds add that name without checking it again ({@link FlatHeaders#add}).
     * Confined to the decoder's event loop.
     */
    static final class Checked {
        private AsciiString last;

        /** A copy of {@code config} whose heads and trailers trust this decoder's names. */
        HttpDecoderConfig install(HttpDecoderConfig config) {
            return config.clone().setHeadersFactory(FlatHeaders.factory(false, this))
                    .setTrailersFactory(FlatHeaders.factory(true, this));
        }

        /** {@link HeaderNames#of}, remembered as checked. */
        AsciiString of(byte[] sb, int start, int length) {
            AsciiString name = HeaderNames.of(sb, start, length);
            last = name;
            return name;
        }

        boolean isLast(CharSequence name) {
            return name == last;
        }
    }

    /**
     * The name in {@code sb[start, start + length)}: the cached one with these bytes, or a new copy, checked as a
     * token ({@link IllegalArgumentException} if it is not, as {@link FlatHeaders#add} would throw) and then cached.
     */
    static AsciiString of(byte[] sb, int start, int length) {
        int h = length;
        for (int i = start, end = start + length; i < end; i++) {
            h = 31 * h + sb[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        AsciiString cached = CACHE[slot];
        if (cached != null && sameBytes(cached, sb, start, length)) {
            return cached;
        }
        AsciiString name = new AsciiString(sb, start, length, true);
        FlatHeaders.validateName(name);
        CACHE[slot] = name;
        return name;
    }

    private static boolean sameBytes(AsciiString s, byte[] sb, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        byte[] a = s.array();
        int off = s.arrayOffset();
        for (int i = 0; i < length; i++) {
            if (a[off + i] != sb[start + i]) {
                return false;
            }
        }
        return true;
    }
}
