package dev.teal.bench.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for child processes that need a port number in their config file. */
public final class Ports {
    private Ports() {}

    public static int free() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code address} accepts a TCP connection; fails early when {@code owner} has exited. */
    public static void awaitListening(InetSocketAddress address, java.time.Duration timeout, ManagedProcess owner)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(address, 200);
                return;
            } catch (IOException refused) {
                if (owner != null && !owner.isAlive()) {
                    throw new IOException(owner.name() + " exited before listening on " + address + ":\n"
                            + owner.logTail(20));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(address + " not listening after " + timeout
                            + (owner == null ? "" : ":\n" + owner.logTail(20)));
                }
                Thread.sleep(20);
            }
        }
    }
}
