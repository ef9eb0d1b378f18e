package dev.teal.gateway.hardening;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw backend on 127.0.0.1 that counts every byte it receives. When a request head has arrived it answers with
 * {@link #answerWith} (by default a small 200 with {@code Connection: close}), stops sending, and keeps counting
 * until the peer closes. A proxy refusing a request must leave {@link #bytes()} unchanged.
 */
public final class CountingBackend implements AutoCloseable {
    public static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile byte[] answer = OK;

    private CountingBackend(ServerSocket server) {
        this.server = server;
    }

    public static CountingBackend start() throws IOException {
        CountingBackend b = new CountingBackend(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        Thread t = new Thread(b::acceptLoop, "counting-backend");
        t.setDaemon(true);
        t.start();
        return b;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public long bytes() {
        return bytes.get();
    }

    public long connections() {
        return connections.get();
    }

    /** Waits up to {@code timeout} for the count to pass {@code count}; false when it did not. */
    public synchronized boolean awaitMoreThan(long count, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (bytes.get() <= count) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** What every connection gets once a request head has arrived. */
    public void answerWith(byte[] response) {
        this.answer = response;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "counting-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(5_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int last = -1;
            int beforeLast = -1;
            boolean answered = false;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                bytes.addAndGet(n);
                synchronized (this) {
                    notifyAll();
                }
                for (int i = 0; i < n && !answered; i++) {
                    int c = buf[i];
                    // the head ends at an empty line (CRLF CRLF, or bare LFs: a proxy may forward those)
                    if (c == '\n' && (last == '\n' || (last == '\r' && beforeLast == '\n'))) {
                        out.write(answer);
                        out.flush();
                        s.shutdownOutput();
                        answered = true;
                    }
                    beforeLast = last;
                    last = c;
                }
            }
        } catch (SocketTimeoutException e) {
            // the peer kept the connection open without sending more: done counting
        } catch (IOException e) {
            // reset by the peer
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
