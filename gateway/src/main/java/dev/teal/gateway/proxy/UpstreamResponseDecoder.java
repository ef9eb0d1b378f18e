package dev.teal.gateway.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Decodes upstream responses. Knows when the request was HEAD (no body), and marks a response with both
 * {@code Content-Length} and {@code Transfer-Encoding} failed (the client then gets 502).
 */
final class UpstreamResponseDecoder extends HttpResponseDecoder {
    private boolean headRequest;

    UpstreamResponseDecoder(HttpDecoderConfig config) {
        super(config);
    }

    void expectingHead(boolean head) {
        this.headRequest = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        if (headRequest && msg instanceof HttpResponse r && r.status().code() >= 200) {
            return true;
        }
        return super.isContentAlwaysEmpty(msg);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(ProxyRequestDecoder.BOTH_LENGTHS)));
    }
}
