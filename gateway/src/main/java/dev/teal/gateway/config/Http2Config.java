package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;

/**
 * HTTP/2 on the client side (the {@code http2:} section). The header-list limit is {@code limits.maxHeaderBytes}
 * and the idle timeout {@code timeouts.clientIdle}; these are what only HTTP/2 has.
 *
 * @param h2c                    accept HTTP/2 cleartext with prior knowledge on the plaintext proxy listener (default
 *                               false); HTTP/1.1 is still served there, told apart by the connection preface
 * @param maxConcurrentStreams   streams a client may have open at once on one connection (default 100); more are
 *                               refused with {@code RST_STREAM REFUSED_STREAM}
 * @param maxResetsPerSecond     streams a client may reset per second on one connection (default 100); more end the
 *                               connection with {@code GOAWAY ENHANCE_YOUR_CALM} (rapid reset, CVE-2023-44487)
 * @param maxQueuedControlFrames control frames (PING and SETTINGS acknowledgements, resets) waiting to be written to
 *                               one client (default 10000); more end the connection (PING and SETTINGS floods)
 */
public record Http2Config(boolean h2c, int maxConcurrentStreams, int maxResetsPerSecond, int maxQueuedControlFrames) {

    public static final Http2Config DEFAULTS = new Http2Config(false, 100, 100, 10_000);

    public Http2Config {
        if (maxConcurrentStreams < 1 || maxConcurrentStreams > 10_000) {
            throw new ConfigException("maxConcurrentStreams must be within 1..10000");
        }
        if (maxResetsPerSecond < 1 || maxResetsPerSecond > 1_000_000) {
            throw new ConfigException("maxResetsPerSecond must be within 1..1000000");
        }
        if (maxQueuedControlFrames < 1 || maxQueuedControlFrames > 1_000_000) {
            throw new ConfigException("maxQueuedControlFrames must be within 1..1000000");
        }
    }
}
