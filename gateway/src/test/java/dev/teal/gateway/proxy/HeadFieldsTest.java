package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A message head through the gateway's own codecs, as the proxy wires them (client request decoder to upstream
 * request encoder; upstream response decoder to client response encoder): the fields come out in wire order, with the
 * case and the value bytes the sender wrote, whatever the read boundaries; what the decoders refused before they still
 * refuse. Plus the {@link FlatHeaders} operations the proxy path relies on.
 */
class HeadFieldsTest {
    private static final String REQUEST = "POST /a?b=c HTTP/1.1\r\n"
            + "Host: example.test:8080\r\n"
            + "user-agent: curl/8.5\r\n"
            + "X-Mixed-Case: \tv1, \"quoted, comma\"\t\r\n"
            + "X-Dup: one\r\n"
            + "Accept: */*\r\n"
            + "x-dup: two\r\n"
            + "X-Latin: caf\u00e9\r\n"
            + "Content-Length: 5\r\n"
            + "\r\n"
            + "hello";
    /** What the upstream gets: the same fields and bytes; only the whitespace around a value is normalised. */
    private static final String FORWARDED = "POST /a?b=c HTTP/1.1\r\n"
            + "Host: example.test:8080\r\n"
            + "user-agent: curl/8.5\r\n"
            + "X-Mixed-Case: v1, \"quoted, comma\"\r\n"
            + "X-Dup: one\r\n"
            + "Accept: */*\r\n"
            + "x-dup: two\r\n"
            + "X-Latin: caf\u00e9\r\n"
            + "Content-Length: 5\r\n"
            + "\r\n"
            + "hello";

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void requestFieldsReachTheUpstreamInOrderWithTheirCaseAndBytesAtEverySplit() {
        byte[] raw = REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= raw.length; split++) {
            EmbeddedChannel decoder = channel(new ProxyRequestDecoder(ProxyInitializer.decoderConfig(8192, 16384)));
            decoder.writeInbound(Unpooled.wrappedBuffer(raw, 0, split));
            decoder.writeInbound(Unpooled.wrappedBuffer(raw, split, raw.length - split));
            List<Object> messages = drain(decoder);
            assertThat(messages.get(0)).isInstanceOf(HttpRequest.class);
            HttpRequest req = (HttpRequest) messages.get(0);
            assertThat(req.decoderResult().isSuccess()).as("split at %d", split).isTrue();
            assertThat(req.headers()).isInstanceOf(FlatHeaders.class);

            EmbeddedChannel encoder = channel(new UpstreamRequestEncoder());
            for (Object m : messages) {
                encoder.writeOutbound(m);
            }
            assertThat(outbound(encoder)).as("split at %d", split).isEqualTo(FORWARDED);
        }
    }

    @Test
    void responseFieldsAndTrailersReachTheClientAsTheUpstreamWroteThem() {
        String response = "HTTP/1.1 200 OK\r\n"
                + "Server: test\r\n"
                + "Set-Cookie: a=1\r\n"
                + "set-cookie: b=2\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n"
                + "5\r\nhello\r\n"
                + "0\r\n"
                + "Grpc-Status: 0\r\n"
                + "\r\n";
        byte[] raw = response.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= raw.length; split++) {
            EmbeddedChannel decoder = channel(new UpstreamResponseDecoder(UpstreamInitializer.DECODER_CONFIG.clone()));
            decoder.writeInbound(Unpooled.wrappedBuffer(raw, 0, split));
            decoder.writeInbound(Unpooled.wrappedBuffer(raw, split, raw.length - split));
            List<Object> messages = drain(decoder);
            HttpResponse res = (HttpResponse) messages.get(0);
            assertThat(res.decoderResult().isSuccess()).isTrue();
            assertThat(res.headers()).isInstanceOf(FlatHeaders.class);
            assertThat(res.headers().getAll("SET-COOKIE")).containsExactly("a=1", "b=2");
            LastHttpContent last = (LastHttpContent) messages.get(messages.size() - 1);
            assertThat(last.trailingHeaders().get("grpc-status")).isEqualTo("0");

            EmbeddedChannel encoder = channel(new ProxyResponseEncoder());
            for (Object m : messages) {
                encoder.writeOutbound(m);
            }
            // a chunk split by a read is written as two chunks: the head and the trailers come out as they went in
            String out = outbound(encoder);
            assertThat(out).as("split at %d", split).startsWith(response.substring(0, response.indexOf("\r\n\r\n") + 4))
                    .endsWith("0\r\nGrpc-Status: 0\r\n\r\n");
        }
    }

    /** A request carrying every field the gateway strips or sets, interleaved with fields it keeps. */
    private static final String REWRITTEN = "GET /x HTTP/1.1\r\n"
            + "Host: shop.test\r\n"
            + "connection: keep-alive, X-Secret\r\n"
            + "X-Secret: 1\r\n"
            + "X-A: a\r\n"
            + "Keep-Alive: timeout=5\r\n"
            + "X-Forwarded-For: 6.6.6.6\r\n"
            + "Proxy-Connection: keep-alive\r\n"
            + "Expect: 100-continue\r\n"
            + "te: trailers\r\n"
            + "Upgrade: h2c\r\n"
            + "Trailer: X-T\r\n"
            + "x-forwarded-proto: https\r\n"
            + "X-B: b\r\n"
            + "X-Forwarded-Host: evil\r\n"
            + "\r\n";

    @Test
    void aRewrittenRequestKeepsTheOtherFieldsInOrderAndAppendsTheForwardedOnes() {
        assertThat(rewrite(REWRITTEN, false, false)).isEqualTo("GET /x HTTP/1.1\r\n"
                + "Host: shop.test\r\n"
                + "X-A: a\r\n"
                + "X-B: b\r\n"
                + "x-forwarded-for: 10.0.0.1\r\n"
                + "x-forwarded-proto: http\r\n"
                + "x-forwarded-host: shop.test\r\n"
                + "\r\n");
    }

    @Test
    void aTrustedClientsForwardedFieldsStayInPlaceAndItsAddressIsAppendedToTheChain() {
        assertThat(rewrite(REWRITTEN, false, true)).isEqualTo("GET /x HTTP/1.1\r\n"
                + "Host: shop.test\r\n"
                + "X-A: a\r\n"
                + "x-forwarded-proto: https\r\n"
                + "X-B: b\r\n"
                + "X-Forwarded-Host: evil\r\n"
                + "x-forwarded-for: 6.6.6.6, 10.0.0.1\r\n"
                + "\r\n");
    }

    @Test
    void anUpgradeRequestKeepsUpgradeInPlaceAndGetsConnectionUpgradeAppended() {
        String upgrade = "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nHost: shop.test\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: k\r\n\r\n";
        assertThat(rewrite(upgrade, true, false)).isEqualTo("GET /ws HTTP/1.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Host: shop.test\r\n"
                + "Sec-WebSocket-Key: k\r\n"
                + "connection: upgrade\r\n"
                + "x-forwarded-for: 10.0.0.1\r\n"
                + "x-forwarded-proto: http\r\n"
                + "x-forwarded-host: shop.test\r\n"
                + "\r\n");
    }

    @Test
    void aRewrittenResponseLosesItsHopByHopFieldsAndKeepsTheRestInOrder() {
        String response = "HTTP/1.1 200 OK\r\n"
                + "Connection: keep-alive, X-Internal\r\n"
                + "X-Internal: 1\r\n"
                + "Server: s\r\n"
                + "KEEP-ALIVE: timeout=5\r\n"
                + "Proxy-Authenticate: Basic\r\n"
                + "Upgrade: h2\r\n"
                + "Content-Length: 2\r\n"
                + "TE: trailers\r\n"
                + "\r\n"
                + "ok";
        EmbeddedChannel decoder = channel(new UpstreamResponseDecoder(UpstreamInitializer.DECODER_CONFIG.clone()));
        decoder.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1));
        List<Object> messages = drain(decoder);
        HeaderRules.prepareResponse((HttpResponse) messages.get(0), false);
        EmbeddedChannel encoder = channel(new ProxyResponseEncoder());
        for (Object m : messages) {
            encoder.writeOutbound(m);
        }
        assertThat(outbound(encoder)).isEqualTo("HTTP/1.1 200 OK\r\nServer: s\r\nContent-Length: 2\r\n\r\nok");
    }

    /** The request decoded, rewritten for the upstream (client 10.0.0.1, plain HTTP) and encoded. */
    private String rewrite(String request, boolean upgrade, boolean trusted) {
        EmbeddedChannel decoder = channel(new ProxyRequestDecoder(ProxyInitializer.decoderConfig(8192, 16384)));
        decoder.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        List<Object> messages = drain(decoder);
        HttpRequest req = (HttpRequest) messages.get(0);
        assertThat(req.decoderResult().isSuccess()).isTrue();
        assertThat(HeaderRules.isUpgrade(req)).isEqualTo(upgrade);
        HeaderRules.prepareRequest(req, upgrade, "10.0.0.1", trusted, false);
        EmbeddedChannel encoder = channel(new UpstreamRequestEncoder());
        for (Object m : messages) {
            encoder.writeOutbound(m);
        }
        return outbound(encoder);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Bad: a\u0001b", "X(Bad): b"})
    void aControlCharacterInAValueOrANameThatIsNotATokenFailsTheRequest(String field) {
        EmbeddedChannel decoder = channel(new ProxyRequestDecoder(ProxyInitializer.decoderConfig(8192, 16384)));
        decoder.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\n" + field + "\r\n\r\n",
                StandardCharsets.ISO_8859_1));
        List<Object> messages = drain(decoder);
        assertThat(((HttpObject) messages.get(0)).decoderResult().isFailure()).isTrue();
        release(messages);
    }

    @Test
    void aDecodedHeadStillChecksTheNamesAddedToItLater() {
        EmbeddedChannel decoder = channel(new ProxyRequestDecoder(ProxyInitializer.decoderConfig(8192, 16384)));
        decoder.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\nX-Ok: 1\r\n\r\n",
                StandardCharsets.ISO_8859_1));
        List<Object> messages = drain(decoder);
        HttpHeaders h = ((HttpRequest) messages.get(0)).headers();
        assertThat(h.get("x-ok")).isEqualTo("1");
        assertThatThrownBy(() -> h.add("X Bad", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("X(Bad)", "v")).isInstanceOf(IllegalArgumentException.class);
        h.add("X-Ok", "2");
        assertThat(h.getAll("X-OK")).containsExactly("1", "2");
        release(messages);
    }

    @Test
    void aFramingFieldInRequestTrailersIsDroppedAndTheOthersKept() {
        EmbeddedChannel decoder = channel(new ProxyRequestDecoder(ProxyInitializer.decoderConfig(8192, 16384)));
        decoder.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "1\r\nx\r\n0\r\nContent-Length: 5\r\nX-Sum: 1\r\n\r\n", StandardCharsets.ISO_8859_1));
        List<Object> messages = drain(decoder);
        LastHttpContent last = (LastHttpContent) messages.get(messages.size() - 1);
        assertThat(last.decoderResult().isSuccess()).isTrue();
        assertThat(last.trailingHeaders()).isInstanceOf(FlatHeaders.class);
        assertThat(last.trailingHeaders().contains(HttpHeaderNames.CONTENT_LENGTH)).isFalse();
        assertThat(last.trailingHeaders().get("x-sum")).isEqualTo("1");
        release(messages);
    }

    @Test
    void lookupsIgnoreTheCaseOfNamesAndKeepEveryValueInOrder() {
        FlatHeaders h = new FlatHeaders(false);
        h.add("Connection", "keep-alive, Upgrade");
        h.add("X-A", "1");
        h.add("x-a", "2");
        assertThat(h.get("CONNECTION")).isEqualTo("keep-alive, Upgrade");
        assertThat(h.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true)).isTrue();
        assertThat(h.containsValue(HttpHeaderNames.CONNECTION, "upgrade", false)).isFalse();
        assertThat(h.contains(HttpHeaderNames.CONNECTION, "keep-alive", true)).isFalse(); // the whole value
        assertThat(h.getAll("X-a")).containsExactly("1", "2");

        h.set("X-A", "3");
        assertThat(h.getAll("x-a")).containsExactly("3");
        assertThat(h.size()).isEqualTo(2);
        h.remove("connection");
        assertThat(h.contains("Connection")).isFalse();
        assertThat(h.names()).containsExactly("X-A");
        for (int i = 0; i < 20; i++) {
            h.addInt("N" + i, i);
        }
        assertThat(h.getInt("n19")).isEqualTo(19);
        assertThat(h.size()).isEqualTo(21);
        HttpHeaders copy = h.copy();
        assertThat(copy.get("N7")).isEqualTo("7");
    }

    @Test
    void valuesAndNamesAreValidatedAsNettysDefaultHeadersDo() {
        FlatHeaders h = new FlatHeaders(false);
        assertThatThrownBy(() -> h.add("X-A", "a\r\nInjected: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("X A", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("", "a")).isInstanceOf(IllegalArgumentException.class);
        FlatHeaders trailers = new FlatHeaders(true);
        assertThatThrownBy(() -> trailers.add("content-length", "1")).isInstanceOf(IllegalArgumentException.class);
        trailers.add("grpc-status", "0");
        assertThat(trailers.size()).isEqualTo(1);
        assertThat(h.isEmpty()).isTrue();
    }

    private EmbeddedChannel channel(io.netty.channel.ChannelHandler handler) {
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        channels.add(ch);
        return ch;
    }

    /** The decoded messages, in order. */
    private static List<Object> drain(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        return out;
    }

    private static String outbound(EmbeddedChannel ch) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object m;
        while ((m = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) m;
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            bytes.writeBytes(a);
            ReferenceCountUtil.release(m);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static void release(List<Object> messages) {
        for (Object m : messages) {
            ReferenceCountUtil.release(m);
        }
    }
}
