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
     * @param settle how long the backend must stay untouched for "not forwarded", and how long an open connection is
     *               watched for a close
     */
    public CorpusRunner(int proxyPort, CountingBackend backend, Duration settle) {
        this.proxyPort = proxyPort;
        this.backend = backend;
        this.settle = settle;
    }

    public Outcome run(Corpus.Entry e) throws IOException, InterruptedException {
        backend.answerWith(e.kind() == Corpus.Kind.RESPONSE ? e.bytes() : CountingBackend.OK);
        long before = backend.bytes();
        int status = 0;
        boolean closed;
        try (RawClient c = new RawClient(proxyPort)) {
            c.send(e.kind() == Corpus.Kind.RESPONSE ? PLAIN_GET : e.bytes());
            try {
                status = c.read().status();
            } catch (IOException | RuntimeException noAnswer) {
                status = 0;
            }
            closed = c.isClosedByPeer((int) settle.toMillis());
        } catch (IOException refused) {
            closed = true;
        }
        // bytes a proxy forwarded may land a little after the client's answer: watch for them a while
        boolean forwarded = backend.awaitMoreThan(before, settle);
        return new Outcome(status, closed, forwarded);
    }
}
