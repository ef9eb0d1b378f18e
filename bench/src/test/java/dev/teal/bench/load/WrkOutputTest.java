package dev.teal.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Real wrk 4.1 outputs, captured on this machine with our wrk-report.lua. */
class WrkOutputTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = WrkOutputTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheFiguresOfACleanRun() throws IOException {
        WrkResult r = WrkOutput.parse(resource("wrk-ok.txt"));

        assertThat(r.requests()).isEqualTo(55866);
        assertThat(r.seconds()).isEqualTo(2.015717);
        assertThat(r.requestsPerSecond()).isCloseTo(27715.2, org.assertj.core.data.Offset.offset(1.0));
        assertThat(r.bytes()).isEqualTo(14860356);
        assertThat(r.p50Us()).isEqualTo(1524);
        assertThat(r.p90Us()).isEqualTo(12222);
        assertThat(r.p99Us()).isEqualTo(72328);
        assertThat(r.p999Us()).isEqualTo(95426);
        assertThat(r.maxUs()).isEqualTo(97805);
        assertThat(r.errors()).isZero();
    }

    @Test
    void countsNon2xxAnswersAsErrors() throws IOException {
        WrkResult r = WrkOutput.parse(resource("wrk-non2xx.txt"));

        assertThat(r.non2xx()).isEqualTo(69532);
        assertThat(r.errors()).isEqualTo(r.requests());
    }

    @Test
    void failsClearlyWhenWrkPrintedNoResult() throws IOException {
        String refused = resource("wrk-connect-errors.txt");

        assertThatThrownBy(() -> WrkOutput.parse(refused))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TEAL_BENCH_RESULT")
                .hasMessageContaining("unable to connect");
    }
}
