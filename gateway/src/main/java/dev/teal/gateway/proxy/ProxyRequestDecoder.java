package dev.teal.gateway.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, but a request with both {@code Content-Length} and {@code Transfer-Encoding} is marked
 * failed instead of silently dropping {@code Content-Length} (a request-smuggling vector; nginx answers 400).
 */
final class ProxyRequestDecoder extends HttpRequestDecoder {
    static final String BOTH_LENGTHS = "both Content-Length and Transfer-Encoding";

    ProxyRequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(BOTH_LENGTHS)));
    }
}
