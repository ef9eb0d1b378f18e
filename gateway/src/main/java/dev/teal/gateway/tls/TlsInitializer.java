package dev.teal.gateway.tls;

import dev.teal.gateway.proxy.ProxyInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline of an HTTPS connection: SNI picks the certificate ({@link CertificateStore}), the handshake runs (bounded by
 * the header timeout), and ALPN decides what follows: {@code h2} goes to the {@link Http2Installer}; anything else
 * to the same HTTP/1.1 proxy pipeline as the plain listener, so routing, limits, drains and the access log are the
 * same. The connection is read automatically during the handshake; the proxy turns that off when it takes over.
 */
@ChannelHandler.Sharable
public final class TlsInitializer extends ChannelInitializer<Channel> {
    private static final Logger LOG = LoggerFactory.getLogger(TlsInitializer.class);
    /** A ClientHello larger than this is refused (Netty's default bound). */
    private static final int MAX_CLIENT_HELLO = 16 * 1024;

    private final CertificateStore certificates;
    private final ProxyInitializer http1;
    private final Http2Installer http2;
    private final long handshakeMillis;

    /** @param http2 null: only {@code http/1.1} is offered */
    public TlsInitializer(CertificateStore certificates, ProxyInitializer http1, Http2Installer http2,
                          Duration handshakeTimeout) {
        this.certificates = certificates;
        this.http1 = http1;
        this.http2 = http2;
        this.handshakeMillis = handshakeTimeout.toMillis();
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setAutoRead(true);
        ch.pipeline().addLast("sni", new SniHandler(certificates, MAX_CLIENT_HELLO, handshakeMillis))
                .addLast("alpn", new Alpn());
    }

    private final class Alpn extends ApplicationProtocolNegotiationHandler {
        Alpn() {
            super(ApplicationProtocolNames.HTTP_1_1);
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol) && http2 != null) {
                http2.install(ctx.pipeline());
            } else {
                http1.install(ctx.pipeline());
            }
            ctx.fireChannelActive(); // the proxy counts, times and reads the connection from here
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            LOG.atDebug().addKeyValue("client", ctx.channel().remoteAddress()).addKeyValue("error", cause.toString())
                    .log("TLS handshake failed");
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.atDebug().addKeyValue("client", ctx.channel().remoteAddress()).addKeyValue("error", cause.toString())
                    .log("TLS connection error");
            ctx.close();
        }
    }
}
