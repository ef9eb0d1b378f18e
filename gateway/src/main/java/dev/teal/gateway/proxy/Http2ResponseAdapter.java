package dev.teal.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;

/**
 * Makes the response of an HTTP/2 upstream stream look like the HTTP/1.1 response the backend handler expects: the
 * codec's {@code x-http2-*} headers are dropped, and a response whose HEADERS ended the stream comes as a head and a
 * last content. A gRPC "trailers-only" answer (status and {@code grpc-status} in one HEADERS frame) keeps its
 * {@code grpc-*} status fields as trailers, so an HTTP/2 client gets them where gRPC looks for them.
 */
final class Http2ResponseAdapter extends ChannelInboundHandlerAdapter {
    private static final AsciiString GRPC_STATUS = AsciiString.cached("grpc-status");
    private static final AsciiString GRPC_MESSAGE = AsciiString.cached("grpc-message");
    private static final AsciiString GRPC_DETAILS = AsciiString.cached("grpc-status-details-bin");

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpResponse res)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpHeaders h = res.headers();
        for (HttpConversionUtil.ExtensionHeaderNames e : HttpConversionUtil.ExtensionHeaderNames.values()) {
            h.remove(e.text());
        }
        if (!(res instanceof FullHttpResponse full)) {
            ctx.fireChannelRead(res);
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, res.status(), h);
        LastHttpContent last = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
        if (h.contains(GRPC_STATUS) && full.trailingHeaders().isEmpty()) {
            move(h, last.trailingHeaders(), GRPC_STATUS);
            move(h, last.trailingHeaders(), GRPC_MESSAGE);
            move(h, last.trailingHeaders(), GRPC_DETAILS);
        }
        ctx.fireChannelRead(head);
        ctx.fireChannelRead(last);
    }

    private static void move(HttpHeaders from, HttpHeaders to, AsciiString name) {
        String v = from.get(name);
        if (v != null) {
            to.set(name, v);
            from.remove(name);
        }
    }
}
