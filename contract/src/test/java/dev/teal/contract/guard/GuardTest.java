package dev.teal.contract.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.contract.ConfigException;
import dev.teal.contract.ServiceAnnotations;
import dev.teal.contract.status.StatusJson;
import dev.teal.contract.status.WindowStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuardTest {

    @Test
    void theIssueExampleParsesIntoTypedLimitsAndSettings() {
        Guard g = Guard.parse("errors<1%, p99<500ms, window=30s, bake=2m, min-requests=200");
        assertThat(g.maxErrorPercent()).isEqualTo(1.0);
        assertThat(g.latency()).containsExactly(new Guard.LatencyLimit("p99", 99.0, Duration.ofMillis(500)));
        assertThat(g.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(g.bake()).isEqualTo(Duration.ofMinutes(2));
        assertThat(g.minRequests()).isEqualTo(200);
        assertThat(g.text()).isEqualTo("errors<1%, p99<500ms, window=30s, bake=2m, min-requests=200");
    }

    @Test
    void absentSettingsTakeTheirDefaultsAndSpacesDoNotMatter() {
        Guard g = Guard.parse(" errors < 0.5% ,p95<2s ");
        assertThat(g.maxErrorPercent()).isEqualTo(0.5);
        assertThat(g.window()).isEqualTo(Guard.DEFAULT_WINDOW);
        assertThat(g.bake()).isEqualTo(Guard.DEFAULT_BAKE);
        assertThat(g.minRequests()).isEqualTo(Guard.DEFAULT_MIN_REQUESTS);
        assertThat(g.text()).isEqualTo("errors<0.5%, p95<2s");
    }

    @Test
    void theMapFormIsTheSameGuard() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("errors", "1%");
        map.put("p99", "500ms");
        map.put("window", "30s");
        map.put("bake", "2m");
        map.put("minRequests", "200");
        assertThat(Guard.of(map)).isEqualTo(Guard.parse("errors<1%, p99<500ms, window=30s, bake=2m, min-requests=200"));
    }

    @Test
    void everyBadGuardIsRejectedWithTheTermAndWhatIsExpected() {
        assertBad("errors<1%, latency<2s", "'latency<2s': unknown key 'latency' (known: errors, p50, p90, p95, p99,"
                + " p99.9, window, bake, min-requests)");
        assertBad("errors<1%, errors<2%", "'errors' is given twice in 'errors<1%, errors<2%'");
        assertBad("p99<500", "p99: '500' is not a duration (like 500ms, 30s, 2m, 1h)");
        assertBad("errors<1", "errors<1: the limit must be a percentage above 0 and at most 100, like errors<1% or errors<0.5%");
        assertBad("errors<0%", "errors<0%: the limit must be a percentage above 0 and at most 100, like errors<1% or errors<0.5%");
        assertBad("errors=1%", "'errors=1%': errors takes a limit with '<', like errors<1%");
        assertBad("errors<1%, window<30s", "'window<30s': window takes a value with '=', like window=30s");
        assertBad("errors<1%, window=1500ms", "window: '1500ms' must be whole seconds, within 1s..5m");
        assertBad("errors<1%, window=10m", "window: '10m' must be whole seconds, within 1s..5m");
        assertBad("errors<1%, bake=2h", "bake: '2h' must be whole seconds, within 1s..1h");
        assertBad("errors<1%, min-requests=0", "min-requests: '0' is not a whole number within 1..10000000");
        assertBad("window=30s", "a guard needs at least one limit (errors<N% or pNN<duration)");
        assertBad("errors<1%,,p99<1s", "'errors<1%,,p99<1s' has an empty term (two commas, or a comma at an end)");
        assertBad("", "'' is empty; write limits like errors<1%, p99<500ms");
        assertBad("errors>1%", "'errors>1%' is not a limit (like errors<1%, p99<500ms) or a setting (like window=30s)");
    }

    @Test
    void theAnnotationParserNamesTheAnnotation() {
        assertThat(ServiceAnnotations.parse(Map.of("teal.dev/guard", "errors<1%")).guard())
                .isEqualTo(Guard.parse("errors<1%"));
        assertThatThrownBy(() -> ServiceAnnotations.parse(Map.of("teal.dev/guard", "errors<1%, bogus=1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("teal.dev/guard: 'bogus=1': unknown key 'bogus'");
    }

    @Test
    void tooFewRequestsAreNotJudged() {
        Guard g = Guard.parse("errors<1%, min-requests=100");
        Guard.Verdict v = g.judge(figures(99, 99, 50));
        assertThat(v.kind()).isEqualTo(Guard.Verdict.Kind.TOO_FEW);
        assertThat(v.figures()).isEqualTo("requests=99 errors=99 (100.00%)");
    }

    @Test
    void anErrorRatioAtTheLimitBreachesAndBelowPasses() {
        Guard g = Guard.parse("errors<5%, min-requests=10");
        assertThat(g.judge(figures(100, 4, 10)).kind()).isEqualTo(Guard.Verdict.Kind.PASS);
        Guard.Verdict v = g.judge(figures(100, 5, 10));
        assertThat(v.kind()).isEqualTo(Guard.Verdict.Kind.BREACH);
        assertThat(v.breach()).isEqualTo("errors 5.00% >= 5.00%");
    }

    @Test
    void aPercentileIsJudgedOnCountsAboveTheLimitNotOnAnEstimate() {
        Guard g = Guard.parse("p99<500ms, min-requests=1");
        // 1% exactly slower than 500 ms: p99 is still within 500 ms
        assertThat(g.judge(mixed(990, 10, 800)).kind()).isEqualTo(Guard.Verdict.Kind.PASS);
        Guard.Verdict v = g.judge(mixed(989, 11, 800));
        assertThat(v.kind()).isEqualTo(Guard.Verdict.Kind.BREACH);
        assertThat(v.breach()).isEqualTo("p99 800ms >= 500ms");
        assertThat(v.figures()).isEqualTo("requests=1000 errors=0 (0.00%) p99=800ms");
    }

    @Test
    void histogramsOfTwoReplicasMergeExactlyAndThePercentileComesFromTheMergedCounts() {
        // replica a: all fast; replica b: 3% slow. Averaging their p99s would say 5 ms + 800 ms / 2; merged, the
        // p99 of all requests is the slow bucket only if more than 1% of all are slow: 30 of 2000 are
        WindowFigures a = mixed(1000, 0, 800);
        WindowFigures b = mixed(970, 30, 800);
        WindowFigures both = a.plus(b);
        assertThat(both.requests()).isEqualTo(2000);
        assertThat(both.latency()[LatencyBuckets.index(800_000_000L)]).isEqualTo(30);
        assertThat(Guard.parse("p99<500ms, min-requests=1").judge(both).kind()).isEqualTo(Guard.Verdict.Kind.BREACH);
        assertThat(Guard.parse("p95<500ms, min-requests=1").judge(both).kind()).isEqualTo(Guard.Verdict.Kind.PASS);
    }

    @Test
    void theStatusFormKeepsEveryBucketAndReadsBackToTheSameFigures() {
        WindowFigures f = mixed(900, 100, 800).plus(figures(5, 5, 0.1));
        WindowStatus s = f.toStatus(30);
        assertThat(s.latency()).containsEntry("5", 900L).containsEntry("800", 100L).containsEntry("0.25", 5L);
        WindowStatus back = StatusJson.MAPPER.readValue(StatusJson.MAPPER.writeValueAsString(s), WindowStatus.class);
        assertThat(WindowFigures.of(back)).isEqualTo(f);
        assertThatThrownBy(() -> WindowFigures.of(new WindowStatus(30, 1, 0, Map.of("7", 1L))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bucketBoundsAreInclusiveUpperBounds() {
        assertThat(LatencyBuckets.index(500_000_000L)).isEqualTo(LatencyBuckets.ofLabel("500"));
        assertThat(LatencyBuckets.index(500_000_001L)).isEqualTo(LatencyBuckets.ofLabel("600"));
        assertThat(LatencyBuckets.index(0)).isZero();
        assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.COUNT - 1);
        assertThat(LatencyBuckets.label(LatencyBuckets.COUNT - 1)).isEqualTo("inf");
    }

    private static void assertBad(String text, String message) {
        assertThatThrownBy(() -> Guard.parse(text)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    /** {@code n} requests of {@code ms} milliseconds each, {@code errors} of them 5xx. */
    private static WindowFigures figures(long n, long errors, double ms) {
        long[] b = new long[LatencyBuckets.COUNT];
        b[LatencyBuckets.index((long) (ms * 1_000_000))] = n;
        return new WindowFigures(n, errors, b);
    }

    /** {@code fast} requests of 5 ms and {@code slow} of {@code slowMs}. */
    private static WindowFigures mixed(long fast, long slow, long slowMs) {
        long[] b = new long[LatencyBuckets.COUNT];
        b[LatencyBuckets.index(5_000_000L)] = fast;
        b[LatencyBuckets.index(slowMs * 1_000_000L)] += slow;
        return new WindowFigures(fast + slow, 0, b);
    }
}
