package dev.teal.gateway.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestEncoder;

/** Pipeline of an upstream connection: response decoder, request encoder, {@link BackendHandler}. */
@ChannelHandler.Sharable
public final class UpstreamInitializer extends ChannelInitializer<SocketChannel> {
    /** The upstream response decoder's settings: heads in {@link FlatHeaders}, Netty's strict options on. */
    static final HttpDecoderConfig DECODER_CONFIG = new HttpDecoderConfig()
            .setMaxInitialLineLength(8192)
            .setMaxHeaderSize(64 * 1024)
            .setMaxChunkSize(64 * 1024)
            .setStrictLineParsing(true)
            .setHeadersFactory(FlatHeaders.FACTORY)
            .setTrailersFactory(FlatHeaders.TRAILERS)
            .setUseRfc9112TransferEncoding(true);

    @Override
    protected void initChannel(SocketChannel ch) {
        UpstreamResponseDecoder decoder = new UpstreamResponseDecoder(DECODER_CONFIG.clone());
        HttpRequestEncoder encoder = new UpstreamRequestEncoder();
        ch.pipeline().addLast("decoder", decoder)
                .addLast("encoder", encoder)
                .addLast("backend", new BackendHandler(decoder, encoder));
    }
}
