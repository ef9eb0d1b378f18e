package dev.teal.bench.target;

import java.net.InetSocketAddress;

/** A running system under test that clients send HTTP/1.1 to. */
public interface Target extends AutoCloseable {
    String name();

    /** Where clients connect. */
    InetSocketAddress address();

    /**
     * Makes {@code color} serve, the target's own way, and returns when its switch command has answered. For the
     * bench, "after the switch answer" starts at that return.
     */
    void switchTo(String color) throws Exception;

    /** The process id to read RSS from, or -1. */
    long pid();

    @Override
    void close();
}
