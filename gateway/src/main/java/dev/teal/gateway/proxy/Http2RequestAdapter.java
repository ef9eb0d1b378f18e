package dev.teal.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Makes the request of an HTTP/2 stream look like the HTTP/1.1 request the frontend expects (the stream codec has
 * already turned {@code :authority} into {@code Host}): the codec's {@code x-http2-*} bookkeeping headers are dropped;
 * a request whose HEADERS ended the stream comes as a head and an empty last content; a body without
 * {@code content-length} is sent upstream chunked (so its trailers can follow), and a bodiless POST/PUT/PATCH says
 * {@code content-length: 0}.
 */
final class Http2RequestAdapter extends ChannelInboundHandlerAdapter {
    private static final HttpConversionUtil.ExtensionHeaderNames[] EXTENSIONS =
            HttpConversionUtil.ExtensionHeaderNames.values();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        HttpHeaders h = req.headers();
        for (HttpConversionUtil.ExtensionHeaderNames e : EXTENSIONS) {
            h.remove(e.text());
        }
        if (req instanceof FullHttpRequest full) {
            if (!h.contains(HttpHeaderNames.CONTENT_LENGTH) && full.content().readableBytes() == 0 && bodyMethod(req)) {
                h.setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, req.method(), req.uri(), h);
            ctx.fireChannelRead(head);
            ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            return;
        }
        if (!h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        ctx.fireChannelRead(req);
    }

    private static boolean bodyMethod(HttpRequest req) {
        HttpMethod m = req.method();
        return m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
    }
}
