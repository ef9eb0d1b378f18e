package dev.teal.gateway.hardening;

import dev.teal.gateway.testing.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sends one corpus entry to a proxy and observes what the client sees and what the backend received. */
public final class CorpusRunner {
    private static final byte[] PLAIN_GET = "GET / HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * What happened.
     *
     * @param status    the status the client got; 0 for none (closed or reset without an answer)
     * @param closed    whether the proxy closed the client connection after it
     * @param forwarded whether the backend received any byte while the entry ran
     */
    public record Outcome(int status, boolean closed, boolean forwarded) {
        public String describe() {
            return (status == 0 ? "no answer" : String.valueOf(status)) + (closed ? " closed" : " open")
                    + (forwarded ? " fwd" : "");
        }

        public boolean matches(Corpus.Entry e) {
            return status == e.status() && closed == e.closed()
                    && (e.kind() == Corpus.Kind.RESPONSE || forwarded == e.forwarded());
        }
    }

    private final int proxyPort;
    private final CountingBackend backend;
    private final Duration settle;

    /**
     * @param settle how long, after the proxy answered or closed, a late upstream connection is waited for when none
     *               was opened, and how long an open client connection is watched for a close
     */
    public CorpusRunner(int proxyPort, CountingBackend backend, Duration settle) {
        this.proxyPort = proxyPort;
        this.backend = backend;
        this.settle = settle;
    }

    public Outcome run(Corpus.Entry e) throws IOException, InterruptedException {
        backend.answerWith(e.kind() == Corpus.Kind.RESPONSE ? e.bytes() : CountingBackend.OK);
        int mark = backend.accepted();
        int status = 0;
        boolean closed;
        try (RawClient c = new RawClient(proxyPort)) {
            c.send(e.kind() == Corpus.Kind.RESPONSE ? PLAIN_GET : e.bytes());
            try {
                status = c.read().status(); // the proxy's answer, or its close
            } catch (IOException | RuntimeException noAnswer) {
                status = 0;
            }
            closed = c.isClosedByPeer((int) settle.toMillis());
        } catch (IOException refused) {
            closed = true;
        }
        // the entry's own upstream connections: those the backend accepted since the mark. A proxy that forwards has
        // opened one by the time it answers or closes; one that forwards late is still waited for a while.
        if (backend.acceptedSince(mark).isEmpty()) {
            backend.awaitConnectionSince(mark, settle);
        }
        boolean forwarded = false;
        for (CountingBackend.Connection upstream : backend.acceptedSince(mark)) {
            upstream.awaitEnd(Duration.ofSeconds(10)); // every byte it carried is counted before it is read
            forwarded |= upstream.bytes() > 0;
        }
        return new Outcome(status, closed, forwarded);
    }
}
