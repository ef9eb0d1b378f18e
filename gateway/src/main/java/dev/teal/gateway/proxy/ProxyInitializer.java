package dev.teal.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * Pipeline of a client connection: a byte observer (for the header timeout), decoder, encoder, frontend. With
 * {@code http2.h2c: true} a {@link Http2PrefaceDetector} comes first and installs either that pipeline or
 * {@link Http2Frontend}'s.
 */
@ChannelHandler.Sharable
public final class ProxyInitializer extends ChannelInitializer<Channel> {
    private final ProxyContext proxy;
    private final HttpDecoderConfig decoderConfig;
    private final Http2Frontend http2;

    public ProxyInitializer(ProxyContext proxy, int maxRequestLine, int maxHeaderBytes) {
        this.proxy = proxy;
        this.http2 = new Http2Frontend(proxy);
        this.decoderConfig = decoderConfig(maxRequestLine, maxHeaderBytes);
    }

    /** The client request decoder's settings: heads in {@link FlatHeaders}, Netty's strict options on. */
    static HttpDecoderConfig decoderConfig(int maxRequestLine, int maxHeaderBytes) {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(maxRequestLine)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setHeadersFactory(FlatHeaders.FACTORY)
                .setTrailersFactory(FlatHeaders.TRAILERS)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false);
    }

    @Override
    protected void initChannel(Channel ch) {
        if (proxy.settings().http2().h2c()) {
            ch.pipeline().addLast("detect", new Http2PrefaceDetector(proxy, this::installHttp1, http2));
        } else {
            install(ch.pipeline());
        }
    }

    /** The HTTP/2 side, for a connection that ALPN ({@code h2}) or the preface says speaks HTTP/2. */
    public Http2Frontend http2() {
        return http2;
    }

    /**
     * Appends the HTTP/1.1 handlers to a connection that is already active (after protocol detection, or ALPN
     * {@code http/1.1} after a TLS handshake) and starts them as if the connection had just opened: counted, the
     * header timeout running, reading. Call it on the channel's event loop.
     */
    public void installHttp1(ChannelPipeline p) {
        install(p);
        if (p.channel().isActive()) {
            p.context("bytes").fireChannelActive(); // reaches the frontend through the codecs
        }
    }

    /**
     * Adds the HTTP/1.1 proxy handlers at the end of {@code p} without starting them (the plain listener's whole
     * pipeline; the HTTPS listener's after TLS and ALPN, which then fires {@code channelActive} through them).
     */
    public void install(ChannelPipeline p) {
        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
        ProxyRequestDecoder decoder = new ProxyRequestDecoder(decoderConfig.clone());
        FrontendHandler frontend = new FrontendHandler(proxy, decoder, encoder);
        p.addLast("bytes", new BytesObserver(frontend))
                .addLast("decoder", decoder)
                .addLast("encoder", encoder)
                .addLast("frontend", frontend);
    }

    /** Tells the frontend that bytes arrived, before the decoder has a whole request head (header timeout). */
    private static final class BytesObserver extends ChannelInboundHandlerAdapter {
        private final FrontendHandler frontend;

        BytesObserver(FrontendHandler frontend) {
            this.frontend = frontend;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            frontend.bytesArrived();
            ctx.fireChannelRead(msg);
        }
    }
}
