package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;

/**
 * Bounds on what one client may send.
 *
 * @param maxRequestLine bytes of the request line (default 8 KiB); 414 over it
 * @param maxHeaderBytes bytes of the header block (default 64 KiB); 431 over it
 * @param maxHeaders     number of header fields (default 100); 431 over it
 * @param maxConnections client connections at once; 0 means unlimited; over it the new connection gets 503 and is closed
 */
public record Limits(int maxRequestLine, int maxHeaderBytes, int maxHeaders, int maxConnections) {

    public static final Limits DEFAULTS = new Limits(8 * 1024, 64 * 1024, 100, 0);

    public Limits {
        if (maxRequestLine < 64) {
            throw new ConfigException("maxRequestLine must be at least 64 bytes");
        }
        if (maxHeaderBytes < 256) {
            throw new ConfigException("maxHeaderBytes must be at least 256 bytes");
        }
        if (maxHeaders < 1) {
            throw new ConfigException("maxHeaders must be at least 1");
        }
        if (maxConnections < 0) {
            throw new ConfigException("maxConnections must be 0 (unlimited) or more");
        }
    }
}
