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
 * A raw backend on 127.0.0.1 that counts every byte it receives, per connection. When a request head has arrived it
 * answers with {@link #answerWith} (by default a small 200 with {@code Connection: close}), stops sending, and keeps
 * counting until the peer closes. A proxy refusing a request must open no connection that carries a byte: a runner
 * marks {@link #accepted()} before an entry and reads {@link #acceptedSince} after it, so bytes that arrive late on
 * an entry's connection count for that entry, never for the next one.
 */
public final class CountingBackend implements AutoCloseable {
    public static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final java.util.List<Connection> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
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

    /** One accepted connection: the bytes it carried, and whether the peer has ended it. */
    public static final class Connection {
        private final AtomicLong bytes = new AtomicLong();
        private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

        public long bytes() {
            return bytes.get();
        }

        /** Waits until the peer closed it (or it stayed silent past the backend's read timeout); false on timeout. */
        public boolean awaitEnd(Duration timeout) throws InterruptedException {
            return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Connections accepted so far: a mark for {@link #acceptedSince}. */
    public int accepted() {
        return accepted.size();
    }

    /** The connections accepted after {@code mark}, in order. */
    public java.util.List<Connection> acceptedSince(int mark) {
        return java.util.List.copyOf(accepted.subList(Math.min(mark, accepted.size()), accepted.size()));
    }

    /** Waits up to {@code timeout} for a connection after {@code mark}; false when none came. */
    public synchronized boolean awaitConnectionSince(int mark, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (accepted.size() <= mark) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
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
                Connection c = new Connection();
                synchronized (this) {
                    accepted.add(c);
                    notifyAll();
                }
                Thread t = new Thread(() -> serve(s, c), "counting-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, Connection conn) {
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
                conn.bytes.addAndGet(n);
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
        } finally {
            conn.ended.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
