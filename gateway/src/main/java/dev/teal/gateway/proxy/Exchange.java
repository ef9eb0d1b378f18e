package dev.teal.gateway.proxy;

import dev.teal.gateway.routing.ServiceRuntime;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayDeque;

/** The state of one request through the gateway. Confined to the client connection's event loop. */
final class Exchange {
    final ServiceRuntime service;
    /** The color chosen when the request started; retries stay on it. */
    final ColorPool pool;
    final HttpRequest request;
    final boolean keepAlive;
    final boolean clientHttp10;
    final boolean upgrade;
    final boolean head;
    final boolean expectContinue;
    final long startNanos;

    Endpoint endpoint;
    int attempts;
    Channel upstream;
    Channel connecting;
    ArrayDeque<HttpContent> queued;

    long bodyBytes;
    boolean bodySent;
    boolean requestComplete;
    boolean unflushed;

    boolean responseStarted;
    boolean interim;
    boolean upstreamKeepAlive;
    boolean closeClientAfter;
    int status;
    boolean tunnel;
    boolean done;

    Exchange(ServiceRuntime service, ColorPool pool, Endpoint endpoint, HttpRequest request, boolean keepAlive,
             boolean clientHttp10, boolean upgrade, boolean head, boolean expectContinue, long startNanos) {
        this.service = service;
        this.pool = pool;
        this.endpoint = endpoint;
        this.request = request;
        this.keepAlive = keepAlive;
        this.clientHttp10 = clientHttp10;
        this.upgrade = upgrade;
        this.head = head;
        this.expectContinue = expectContinue;
        this.startNanos = startNanos;
    }

    void queue(HttpContent c) {
        if (queued == null) {
            queued = new ArrayDeque<>(4);
        }
        queued.add(c);
    }

    void releaseQueued() {
        if (queued != null) {
            HttpContent c;
            while ((c = queued.poll()) != null) {
                c.release();
            }
        }
    }
}
