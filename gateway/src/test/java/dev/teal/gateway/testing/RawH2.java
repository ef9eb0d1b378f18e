package dev.teal.gateway.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Hand-built HTTP/2 frames on a plain socket, for the abuse-limit tests: what a well-behaved client library would
 * never send. Frames are written as RFC 9113 lays them out; header blocks are HPACK-encoded with Netty's encoder.
 */
public final class RawH2 implements AutoCloseable {
    public static final int DATA = 0x0;
    public static final int HEADERS = 0x1;
    public static final int RST_STREAM = 0x3;
    public static final int SETTINGS = 0x4;
    public static final int PING = 0x6;
    public static final int GOAWAY = 0x7;
    public static final int CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int ACK = 0x1;

    /** One frame read back. */
    public record Frame(int type, int flags, int stream, byte[] payload, Http2Headers headers) {
        /** GOAWAY: the error code. */
        public long goAwayError() {
            return ((payload[4] & 0xffL) << 24) | ((payload[5] & 0xff) << 16) | ((payload[6] & 0xff) << 8)
                    | (payload[7] & 0xff);
        }

        /** GOAWAY: the last stream id the server will process. */
        public int goAwayLastStream() {
            return ((payload[0] & 0x7f) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
        }

        /** RST_STREAM: the error code. */
        public long rstError() {
            return ((payload[0] & 0xffL) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                    | (payload[3] & 0xff);
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    /** Connects, sends the preface, an empty SETTINGS and the acknowledgement of the server's SETTINGS. */
    public RawH2(int port) throws IOException {
        this(port, 0);
    }

    /** As {@link #RawH2(int)} with a small socket receive buffer (0: the system's), for a client that does not read. */
    public RawH2(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        ByteBuf preface = Http2CodecUtil.connectionPrefaceBuf();
        byte[] p = new byte[preface.readableBytes()];
        preface.getBytes(preface.readerIndex(), p);
        out.write(p);
        frame(SETTINGS, 0, 0, new byte[0]);
        frame(SETTINGS, ACK, 0, new byte[0]);
        out.flush();
    }

    /** A request head for {@code path} on {@code authority}. */
    public static Http2Headers get(String path, String authority) {
        return new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority(authority);
    }

    /** The HPACK block of {@code headers}. */
    public byte[] block(int stream, Http2Headers headers) throws Exception {
        ByteBuf b = Unpooled.buffer();
        try {
            encoder.encodeHeaders(stream, headers, b);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            return bytes;
        } finally {
            b.release();
        }
    }

    /** A HEADERS frame with the whole block (it must fit in 16 KiB). */
    public void headers(int stream, Http2Headers headers, boolean endStream) throws Exception {
        frame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), stream, block(stream, headers));
    }

    public void rst(int stream, long error) throws IOException {
        frame(RST_STREAM, 0, stream, new byte[] {(byte) (error >>> 24), (byte) (error >>> 16), (byte) (error >>> 8),
                (byte) error});
    }

    public void ping(long data) throws IOException {
        byte[] p = new byte[8];
        for (int i = 0; i < 8; i++) {
            p[i] = (byte) (data >>> (56 - 8 * i));
        }
        frame(PING, 0, 0, p);
    }

    public void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        frame(type, flags, stream, payload, 0, payload.length);
    }

    public void frame(int type, int flags, int stream, byte[] payload, int from, int length) throws IOException {
        byte[] h = {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
                (byte) ((stream >>> 24) & 0x7f), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(h);
        out.write(payload, from, length);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Flushes and shuts down the write side (TCP half-close). */
    public void shutdownOutput() throws IOException {
        out.flush();
        socket.shutdownOutput();
    }

    /** The next frame; null when the server closed the connection (EOF or reset). */
    public Frame read() throws IOException {
        try {
            int len = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[len];
            in.readFully(payload);
            // HPACK is stateful: every header block is decoded, in order, whether the test looks at it or not
            Http2Headers headers = type == HEADERS && (flags & END_HEADERS) != 0 ? decode(stream, payload) : null;
            return new Frame(type, flags, stream, payload, headers);
        } catch (EOFException | java.net.SocketException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame from the gateway within 10 s", e);
        }
    }

    /** Reads until a frame of {@code type} (optionally on {@code stream}, -1: any) comes; null if the connection ends. */
    public Frame readUntil(int type, int stream) throws IOException {
        Frame f;
        while ((f = read()) != null) {
            if (f.type() == type && (stream < 0 || f.stream() == stream)) {
                return f;
            }
        }
        return null;
    }

    /** Decodes a HEADERS frame's block (END_HEADERS set, no padding or priority: Netty's server sends neither). */
    private Http2Headers decode(int stream, byte[] block) throws IOException {
        ByteBuf b = Unpooled.wrappedBuffer(block);
        try {
            return decoder.decodeHeaders(stream, b);
        } catch (io.netty.handler.codec.http2.Http2Exception e) {
            throw new IOException(e);
        } finally {
            b.release();
        }
    }

    /** Reads until the server closes the connection; true if it did within the socket timeout. */
    public boolean closedByServer() throws IOException {
        return framesUntilClosed() >= 0;
    }

    /** Reads until the server closes the connection: the frames of {@code type} read meanwhile, or -1 on timeout. */
    public long framesUntilClosed(int type) throws IOException {
        long n = 0;
        try {
            Frame f;
            while ((f = read()) != null) {
                if (f.type() == type) {
                    n++;
                }
            }
            return n;
        } catch (AssertionError e) {
            return -1;
        }
    }

    private long framesUntilClosed() throws IOException {
        return framesUntilClosed(-1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
