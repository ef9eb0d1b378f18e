package dev.teal.gateway.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.Gateway;
import dev.teal.gateway.config.ConfigParser;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every corpus entry against a real gateway in front of a {@link CountingBackend}: the status the client gets,
 * whether its connection is closed, and, for a refused request, that the backend received not one byte.
 */
class CorpusTest {
    private static CountingBackend backend;
    private static Gateway gateway;
    private static CorpusRunner runner;

    @BeforeAll
    static void start() throws Exception {
        backend = CountingBackend.start();
        gateway = Gateway.start(ConfigParser.parse(Corpus.gatewayYaml("127.0.0.1:0", "127.0.0.1:0", backend.address())));
        runner = new CorpusRunner(gateway.proxyPort(), backend, Duration.ofMillis(150));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        backend.close();
    }

    @TestFactory
    Stream<DynamicTest> eachRequestGetsItsAnswerAndRefusedOnesReachNoBackend() {
        return Corpus.load(Corpus.Kind.REQUEST).stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            CorpusRunner.Outcome o = runner.run(e);
            assertThat(o.describe()).as(e.name())
                    .isEqualTo(new CorpusRunner.Outcome(e.status(), e.closed(), e.forwarded()).describe());
        }));
    }

    @TestFactory
    Stream<DynamicTest> eachUpstreamResponseIsPassedOnOrReplacedBy502() {
        return Corpus.load(Corpus.Kind.RESPONSE).stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            CorpusRunner.Outcome o = runner.run(e);
            assertThat(o.status()).as(e.name()).isEqualTo(e.status());
            assertThat(o.closed()).as(e.name() + " closed").isEqualTo(e.closed());
        }));
    }
}
