package dev.teal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * h2load 1.52 (Debian nghttp2-client) outputs captured on this machine against nginx 1.22 terminating TLS
 * ({@code h2load-h2-ok.txt}: {@code -c 4 -m 10 -n 2000 -t 1}; {@code h2load-h1-tls.txt}: {@code --h1 -c 50 -n 50};
 * {@code h2load-refused.txt}: nothing listening), and per-request logs the test writes itself.
 */
class H2loadOutputTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = H2loadOutputTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsCountsElapsedTimeAndNegotiatedProtocolsOfAnH2Run() throws IOException {
        H2loadResult r = H2loadOutput.parse(resource("h2load-h2-ok.txt"));

        assertThat(r.requests()).isEqualTo(2000);
        assertThat(r.succeeded()).isEqualTo(2000);
        assertThat(r.status2xx()).isEqualTo(2000);
        assertThat(r.failed()).isZero();
        assertThat(r.errors()).isZero();
        assertThat(r.seconds()).isCloseTo(0.08896, Offset.offset(1e-9));
        assertThat(r.requestsPerSecond()).isCloseTo(22482.0, Offset.offset(1.0));
        assertThat(r.tlsProtocol()).isEqualTo("TLSv1.2");
        assertThat(r.applicationProtocol()).isEqualTo("h2");
        assertThat(r.p99Us()).as("no log read yet").isEqualTo(-1);
    }

    @Test
    void readsAnHttp11RunOverTls() throws IOException {
        H2loadResult r = H2loadOutput.parse(resource("h2load-h1-tls.txt"));

        assertThat(r.succeeded()).isEqualTo(50);
        assertThat(r.seconds()).isCloseTo(0.09164, Offset.offset(1e-9));
        assertThat(r.applicationProtocol()).isEqualTo("http/1.1");
    }

    @Test
    void countsRequestsThatGotNoAnswerAsErrors() throws IOException {
        H2loadResult r = H2loadOutput.parse(resource("h2load-refused.txt"));

        assertThat(r.requests()).isEqualTo(4);
        assertThat(r.succeeded()).isZero();
        assertThat(r.errored()).isEqualTo(4);
        assertThat(r.errors()).isEqualTo(4);
        assertThat(r.seconds()).isCloseTo(394e-6, Offset.offset(1e-12));
        assertThat(r.requestsPerSecond()).isZero();
        assertThat(r.tlsProtocol()).isNull();
        assertThat(r.applicationProtocol()).isNull();
    }

    @Test
    void takesP50AndP99FromThePerRequestLog() throws IOException {
        // 100 requests lasting 100, 99, ..., 1 µs, in h2load's --log-file columns
        String log = IntStream.rangeClosed(1, 100).map(i -> 101 - i)
                .mapToObj(us -> "1795945654074140\t200\t" + us).collect(Collectors.joining("\n", "", "\n"));

        H2loadResult r = H2loadOutput.withLatencies(H2loadOutput.parse(resource("h2load-h2-ok.txt")), log);

        assertThat(r.p50Us()).isEqualTo(50);
        assertThat(r.p99Us()).isEqualTo(99);
        assertThat(r.succeeded()).as("the summary stays").isEqualTo(2000);
    }

    @Test
    void anEmptyLogLeavesTheLatenciesUnknown() throws IOException {
        H2loadResult r = H2loadOutput.withLatencies(H2loadOutput.parse(resource("h2load-refused.txt")), "");

        assertThat(r.p99Us()).isEqualTo(-1);
    }

    @Test
    void rejectsOutputWithoutASummaryAndLogLinesWithoutADuration() throws IOException {
        assertThatThrownBy(() -> H2loadOutput.parse("starting benchmark...\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finished in");
        H2loadResult r = H2loadOutput.parse(resource("h2load-h2-ok.txt"));
        assertThatThrownBy(() -> H2loadOutput.withLatencies(r, "1795945654074140\t200\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an h2load log line");
    }
}
