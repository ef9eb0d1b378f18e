package dev.teal.gateway.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Follows a chunked request body alongside Netty's decoder and finds what Netty accepts but other servers refuse: a
 * chunk extension without a name ({@code 5;} or {@code 5; ;x}). Two servers can frame such a body in two ways, so the
 * gateway refuses it (400) before the chunk is forwarded. One per decoder.
 *
 * <p>It scans each byte once, ahead of the decoder; {@link #consumed} tells it how far the decoder has read, so the
 * bytes it has seen but the decoder has not yet consumed are not scanned again.
 */
final class ChunkLineGuard {
    static final String EMPTY_EXTENSION = "chunk extension without a name";

    private enum State { SIZE, AFTER_SIZE, EXTENSION_NAME, EXTENSION, DATA, DATA_END, TRAILER_START, TRAILER }

    private boolean active;
    private State state;
    private long size;
    private long dataLeft;
    /** Bytes at and after the reader index that were scanned already. */
    private int ahead;

    /** The head of a chunked request was decoded; its body starts at the reader index. */
    void start() {
        active = true;
        state = State.SIZE;
        size = 0;
        ahead = 0;
    }

    /** The decoder finished the message (or failed it): nothing to follow until the next chunked head. */
    void stop() {
        active = false;
    }

    /** The decoder moved the reader index by {@code n}. */
    void consumed(int n) {
        if (active) {
            ahead = Math.max(0, ahead - n);
        }
    }

    /** True when the bytes not scanned yet contain a chunk-size line with an extension that has no name. */
    boolean foundBadLine(ByteBuf in) {
        if (!active) {
            return false;
        }
        int end = in.writerIndex();
        int i = in.readerIndex() + ahead;
        while (i < end && active) {
            byte b = in.getByte(i);
            switch (state) {
                case SIZE -> {
                    int digit = Character.digit(b, 16);
                    if (digit >= 0) {
                        size = size > (Long.MAX_VALUE >> 4) ? Long.MAX_VALUE : (size << 4) + digit;
                    } else if (b == ';') {
                        state = State.EXTENSION_NAME;
                    } else if (b == ' ' || b == '\t') {
                        state = State.AFTER_SIZE;
                    } else if (b == '\n') {
                        lineEnded();
                    } else if (b != '\r') {
                        stop(); // the decoder refuses this line itself
                    }
                }
                case AFTER_SIZE -> {
                    if (b == ';') {
                        state = State.EXTENSION_NAME;
                    } else if (b == '\n') {
                        lineEnded();
                    } else if (b != ' ' && b != '\t' && b != '\r') {
                        stop();
                    }
                }
                case EXTENSION_NAME -> {
                    if (b == ' ' || b == '\t') {
                        break; // whitespace before the name
                    }
                    if (b == ';' || b == '=' || b == '\r' || b == '\n') {
                        return true;
                    }
                    state = State.EXTENSION;
                }
                case EXTENSION -> {
                    if (b == ';') {
                        state = State.EXTENSION_NAME;
                    } else if (b == '\n') {
                        lineEnded();
                    }
                }
                case DATA -> {
                    long skip = Math.min(dataLeft, end - i);
                    dataLeft -= skip;
                    i += (int) skip;
                    if (dataLeft == 0) {
                        state = State.DATA_END;
                    }
                    continue;
                }
                case DATA_END -> {
                    if (b == '\n') {
                        state = State.SIZE;
                        size = 0;
                    }
                }
                case TRAILER_START -> {
                    if (b == '\n') {
                        stop(); // the empty line after the last chunk: the body is over
                    } else if (b != '\r') {
                        state = State.TRAILER;
                    }
                }
                case TRAILER -> {
                    if (b == '\n') {
                        state = State.TRAILER_START;
                    }
                }
                default -> throw new IllegalStateException();
            }
            i++;
        }
        ahead = Math.max(0, i - in.readerIndex());
        return false;
    }

    private void lineEnded() {
        if (size == 0) {
            state = State.TRAILER_START;
        } else {
            dataLeft = size;
            state = State.DATA;
        }
    }
}
