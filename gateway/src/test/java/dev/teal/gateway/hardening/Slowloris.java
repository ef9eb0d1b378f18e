package dev.teal.gateway.hardening;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A slowloris attack from one thread: {@code connections} sockets each send a request line and then one header line
 * per {@code interval}, never ending the head. Runs until the server has closed every socket or {@code limit} has
 * passed; counts the first status line each socket got before its close.
 */
public final class Slowloris {
    private static final byte[] START = "GET / HTTP/1.1\r\nHost: shop\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRICKLE = "X-Trickle: 1\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param closed  sockets the server closed
     * @param byStatus first status line (e.g. {@code HTTP/1.1 408 Request Timeout}) to the number of sockets that got it
     */
    public record Result(int opened, int closed, Map<String, Integer> byStatus, Duration took) {
    }

    private Slowloris() {
    }

    public static Result run(int port, int connections, Duration interval, Duration limit) throws IOException {
        long start = System.nanoTime();
        Map<SocketChannel, StringBuilder> answers = new HashMap<>();
        Map<String, Integer> byStatus = new HashMap<>();
        int closed = 0;
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
                ch.write(ByteBuffer.wrap(START));
                ch.register(selector, SelectionKey.OP_READ);
                answers.put(ch, new StringBuilder());
            }
            long deadline = start + limit.toNanos();
            long nextTrickle = System.nanoTime() + interval.toNanos();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (!answers.isEmpty() && System.nanoTime() < deadline) {
                long wait = Math.max(1, (nextTrickle - System.nanoTime()) / 1_000_000);
                selector.select(wait);
                for (SelectionKey k : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    buf.clear();
                    int n;
                    try {
                        n = ch.read(buf);
                    } catch (IOException reset) {
                        n = -1;
                    }
                    if (n > 0) {
                        answers.get(ch).append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
                    } else if (n < 0) {
                        String text = answers.remove(ch).toString();
                        int eol = text.indexOf('\r');
                        byStatus.merge(eol > 0 ? text.substring(0, eol) : "(none)", 1, Integer::sum);
                        closed++;
                        k.cancel();
                        ch.close();
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() >= nextTrickle) {
                    for (SocketChannel ch : answers.keySet()) {
                        try {
                            ch.write(ByteBuffer.wrap(TRICKLE));
                        } catch (IOException closedByPeer) {
                            // read side sees the close
                        }
                    }
                    nextTrickle = System.nanoTime() + interval.toNanos();
                }
            }
            for (SocketChannel ch : answers.keySet()) {
                ch.close();
            }
        }
        return new Result(connections, closed, byStatus, Duration.ofNanos(System.nanoTime() - start));
    }
}
