package dev.teal.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;

/** Pipeline of a client connection: a byte observer (for the header timeout), decoder, encoder, frontend. */
@ChannelHandler.Sharable
public final class ProxyInitializer extends ChannelInitializer<Channel> {
    private final ProxyContext proxy;
    private final HttpDecoderConfig decoderConfig;

    public ProxyInitializer(ProxyContext proxy, int maxRequestLine, int maxHeaderBytes) {
        this.proxy = proxy;
        this.decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(maxRequestLine)
                .setMaxHeaderSize(maxHeaderBytes)
                .setMaxChunkSize(64 * 1024)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true)
                .setAllowDuplicateContentLengths(false);
    }

    @Override
    protected void initChannel(Channel ch) {
        install(ch.pipeline());
    }

    /**
     * Adds the HTTP/1.1 proxy handlers at the end of {@code pipeline} (the plain listener's whole pipeline; the HTTPS
     * listener's after TLS and ALPN, which then fires {@code channelActive} through them).
     */
    public void install(ChannelPipeline pipeline) {
        ProxyResponseEncoder encoder = new ProxyResponseEncoder();
        ProxyRequestDecoder decoder = new ProxyRequestDecoder(decoderConfig.clone());
        FrontendHandler frontend = new FrontendHandler(proxy, decoder, encoder);
        pipeline.addLast("bytes", new BytesObserver(frontend))
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
