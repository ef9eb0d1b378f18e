package dev.teal.gateway.proxy;

import dev.teal.gateway.routing.RouteKind;
import dev.teal.gateway.routing.ServiceRuntime;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayDeque;

/**
 * One request and its response through the gateway. Its {@link State} says where the response is; the request side
 * is two facts ({@link #bodySent}, {@link #requestComplete}) because a response may start before the request ends.
 * Confined to the client connection's event loop.
 */
final class Exchange {
    /** Where the response is. Moves forward only (a 1xx goes {@code INTERIM} and back to {@code WAITING}). */
    enum State {
        /** Routed; the upstream connection is being taken or opened, or the request is on its way. */
        WAITING,
        /** A 1xx other than an accepted upgrade is being skipped: the final answer follows. */
        INTERIM,
        /** The final response head is decoded but not yet written: an error answer may still replace it. */
        HEAD_HELD,
        /** The response head is on the wire: a failure now can only cut the client connection. */
        STREAMING,
        /** 101 Switching Protocols: bytes pass both ways as they are until either side closes. */
        TUNNEL,
        /** Ended once: counted, logged, the upstream connection released. */
        DONE
    }

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

    /** Why the request went to {@link #pool}: the serving color, a preview, or the sticky window. */
    RouteKind route = RouteKind.SERVING;
    /** The version cookie the answer sets (sticky window), or null. */
    String setCookie;
    Endpoint endpoint;
    int attempts;
    Channel upstream;
    /** The handler of {@link #upstream}, resolved once when the exchange takes the connection. */
    BackendHandler backend;
    Channel connecting;
    ArrayDeque<HttpContent> queued;

    long bodyBytes;
    boolean bodySent;
    boolean requestComplete;
    boolean unflushed;

    State state = State.WAITING;
    /** The response head in {@link State#HEAD_HELD} (see BackendHandler#responseHead). */
    HttpResponse heldHead;
    boolean upstreamKeepAlive;
    boolean closeClientAfter;
    int status;

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

    /** No response head has arrived yet: a timeout or a failure is answered with an error of the gateway's own. */
    boolean awaitingResponse() {
        return state == State.WAITING || state == State.INTERIM;
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
