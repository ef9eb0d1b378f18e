package dev.teal.gateway.tls;

import io.netty.channel.ChannelPipeline;

/**
 * Installs the HTTP/2 frontend on a TLS connection whose client chose {@code h2} by ALPN. With one, the HTTPS
 * listener advertises {@code h2} before {@code http/1.1}; without one (null), {@code http/1.1} only.
 * The handlers are added after the TLS handler; {@code channelActive} is fired through them once they are in.
 */
@FunctionalInterface
public interface Http2Installer {
    void install(ChannelPipeline pipeline);
}
