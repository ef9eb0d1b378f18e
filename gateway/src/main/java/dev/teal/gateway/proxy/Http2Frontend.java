package dev.teal.gateway.proxy;

import dev.teal.gateway.config.Http2Config;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 from clients. {@link #install} turns a connection whose bytes are HTTP/2 (h2c with prior knowledge on the
 * plaintext listener, or {@code h2} chosen by ALPN after a TLS handshake) into: Netty's frame codec with the abuse
 * limits, an idle timer, the stream multiplexer, and {@link Http2ClientConnection} (the connection's count, GOAWAY on
 * shutdown, the idle close). Each stream is a child channel with its own pipeline: the stream codec (HTTP/2 frames to
 * HTTP/1.1 objects and back), {@link Http2RequestAdapter} and a {@link FrontendHandler} for that one request, so a
 * stream is routed, limited, retried, metered and logged exactly like an HTTP/1.1 request, on the upstream pool of
 * the connection's event loop.
 */
public final class Http2Frontend {
    private final ProxyContext proxy;

    public Http2Frontend(ProxyContext proxy) {
        this.proxy = Objects.requireNonNull(proxy);
    }

    /**
     * Appends the HTTP/2 handlers to {@code pipeline}; the connection's next bytes must be the client's connection
     * preface. Call it on the channel's event loop, once, with nothing after the TLS handler (or nothing at all on a
     * plaintext connection); the channel may already be active. The server preface (SETTINGS) is sent at once and
     * the channel reads on its own from then on (flow control, not auto-read, bounds what a client may send).
     */
    public void install(ChannelPipeline pipeline) {
        ProxySettings s = proxy.settings();
        Http2Config limits = s.http2();
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(limits.maxConcurrentStreams())
                        .maxHeaderListSize(s.maxHeaderBytes()))
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(limits.maxResetsPerSecond(), 1)
                .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
                .gracefulShutdownTimeoutMillis(TimeUnit.NANOSECONDS.toMillis(s.shutdownNanos()))
                .build();
        Http2ClientConnection connection = new Http2ClientConnection(proxy, codec);
        pipeline.addLast("h2", codec)
                .addLast("h2-idle", new IdleStateHandler(0, 0, s.clientIdleNanos(), TimeUnit.NANOSECONDS))
                .addLast("h2-streams", new Http2MultiplexHandler(new StreamInitializer(proxy)))
                .addLast("h2-connection", connection);
        Channel ch = pipeline.channel();
        ch.config().setAutoRead(true);
    }

    /** The pipeline of one stream: frames to HTTP/1.1 objects, the request adapter, a frontend for one request. */
    private static final class StreamInitializer extends ChannelInitializer<Http2StreamChannel> {
        private final ProxyContext proxy;

        StreamInitializer(ProxyContext proxy) {
            this.proxy = proxy;
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true, true))
                    .addLast(new Http2RequestAdapter())
                    .addLast(FrontendHandler.forStream(proxy));
        }
    }
}
