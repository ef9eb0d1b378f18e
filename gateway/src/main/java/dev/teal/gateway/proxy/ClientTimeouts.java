package dev.teal.gateway.proxy;

import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client connection's timeouts: what it waits for ({@link Wait}) and until when. One lazily re-armed timer per
 * connection: a wait only moves the deadline; the timer is not rescheduled per request. It fires at least once per
 * shortest client timeout, so a deadline is never missed: one set at time s for d >= shortest is due at s + d, after
 * the timer's next run (at most s + shortest), which then re-arms for exactly what is left. Time is the event loop's
 * ticker, so a test on an {@code EmbeddedChannel} can move it. Confined to the connection's event loop.
 */
final class ClientTimeouts {
    /** What the client connection waits for; each has its own timeout. */
    enum Wait {
        /** Nothing the client owes (an exchange is being answered, or the connection is closing). */
        NONE,
        /** The next request on a keep-alive connection: {@code timeouts.clientIdle}, then a silent close. */
        IDLE,
        /** The rest of a request head whose first bytes arrived: {@code timeouts.header}, then 408. */
        HEAD,
        /** More of a request body: {@code timeouts.body} since the last bytes, then 408. */
        BODY
    }

    /** Called on the event loop when a wait runs out; the wait is {@link Wait#NONE} by then. */
    interface Expiry {
        void expired(Wait what);
    }

    private final ChannelHandlerContext ctx;
    private final ProxyContext proxy;
    private final Expiry expiry;
    private Wait wait = Wait.NONE;
    private long deadline;
    private ScheduledFuture<?> timer;

    ClientTimeouts(ChannelHandlerContext ctx, ProxyContext proxy, Expiry expiry) {
        this.ctx = ctx;
        this.proxy = proxy;
        this.expiry = expiry;
    }

    Wait waiting() {
        return wait;
    }

    /** Waits for {@code what} at most {@code nanos} from now; {@link Wait#NONE} stops waiting. */
    void waitFor(Wait what, long nanos) {
        wait = what;
        if (what == Wait.NONE) {
            return;
        }
        deadline = now() + nanos;
        if (timer == null) {
            schedule(nanos);
        }
    }

    /** Stops waiting for anything. */
    void stop() {
        wait = Wait.NONE;
    }

    /** Bytes came from the client: an idle connection now waits for a head; a body wait starts again. */
    void bytesArrived() {
        if (wait == Wait.IDLE) {
            waitFor(Wait.HEAD, proxy.settings().headerNanos());
        } else if (wait == Wait.BODY) {
            deadline = now() + proxy.settings().bodyNanos();
        }
    }

    /** The connection closed: no timer stays behind. */
    void cancel() {
        wait = Wait.NONE;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void schedule(long nanos) {
        timer = ctx.executor().schedule(this::check, Math.min(nanos, proxy.settings().shortestClientNanos()),
                TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (wait == Wait.NONE || !ctx.channel().isActive()) {
            return;
        }
        long left = deadline - now();
        if (left > 0) {
            // never sleep longer than the shortest client timeout: a deadline set meanwhile (a head after an idle
            // wait) may be earlier than this one, and is then still met on time
            schedule(left);
            return;
        }
        Wait what = wait;
        wait = Wait.NONE;
        expiry.expired(what);
    }
}
