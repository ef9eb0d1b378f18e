package dev.teal.contract.guard;

import dev.teal.contract.ConfigException;
import dev.teal.contract.Units;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guard on a service's cutovers: after a switch, for {@code bake}, the new color's figures over the last
 * {@code window} are judged against the limits; a breach switches back to the previous color. Written as a
 * comma-separated list of terms ({@code teal.dev/guard} annotation, standalone {@code guard:} key):
 *
 * <pre>errors&lt;1%, p99&lt;500ms, window=30s, bake=2m, min-requests=200</pre>
 *
 * <ul>
 *   <li>{@code errors<N%}: the share of 5xx answers must stay below N percent (0 &lt; N &le; 100, up to three
 *       decimals);</li>
 *   <li>{@code p50<D}, {@code p90<D}, {@code p95<D}, {@code p99<D}, {@code p99.9<D}: that latency percentile must
 *       stay below D (a duration, {@code 500ms}, {@code 2s}; judged on {@link LatencyBuckets}: a limit between two
 *       bucket bounds is judged at the next bound up);</li>
 *   <li>{@code window=D}: the sliding window judged, whole seconds, 1s..5m (default 30s);</li>
 *   <li>{@code bake=D}: how long after the switch the guard watches, whole seconds, 1s..1h (default 2m);</li>
 *   <li>{@code min-requests=N}: fewer requests in the window than this are not judged (default 100, 1..10000000);
 *       a bake that ends without ever having enough is reported as not judged, never as passed.</li>
 * </ul>
 * At least one limit is needed; every key at most once; anything else is an error naming the term.
 *
 * @param text           the guard as written (normalised: terms joined with {@code ", "})
 * @param maxErrorPercent the {@code errors} limit in percent, or null for none
 * @param latency        the latency limits, in the order written
 */
public record Guard(String text, Double maxErrorPercent, List<LatencyLimit> latency, Duration window, Duration bake,
                    int minRequests) {
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BAKE = Duration.ofMinutes(2);
    public static final int DEFAULT_MIN_REQUESTS = 100;
    public static final Duration MAX_WINDOW = Duration.ofMinutes(5);
    public static final Duration MAX_BAKE = Duration.ofHours(1);
    static final Duration MAX_LATENCY = Duration.ofSeconds(100);
    static final int MAX_MIN_REQUESTS = 10_000_000;

    private static final Pattern TERM = Pattern.compile("([A-Za-z0-9.-]+)\\s*([<=])\\s*(.*)");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3})?)\\s*%");
    private static final Map<String, Double> QUANTILES = Map.of("p50", 50.0, "p90", 90.0, "p95", 95.0,
            "p99", 99.0, "p99.9", 99.9);
    private static final String KNOWN = "errors, p50, p90, p95, p99, p99.9, window, bake, min-requests";

    public Guard {
        Objects.requireNonNull(text, "text");
        latency = List.copyOf(latency);
        if (maxErrorPercent == null && latency.isEmpty()) {
            throw new ConfigException("a guard needs at least one limit (errors<N% or pNN<duration)");
        }
    }

    /** One latency limit: the {@code quantile}th percentile must stay below {@code limit}. */
    public record LatencyLimit(String name, double quantile, Duration limit) {
        /** The bucket the limit is judged at: requests in buckets above it are too slow. */
        public int bucket() {
            return LatencyBuckets.atLeast(limit.toNanos());
        }
    }

    /**
     * Parses the text form.
     *
     * @throws ConfigException naming the bad term and what is expected (the caller adds the annotation or path)
     */
    public static Guard parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException("'" + text + "' is empty; write limits like errors<1%, p99<500ms");
        }
        Map<String, String> terms = new LinkedHashMap<>();
        List<String> normalised = new ArrayList<>();
        for (String raw : text.split(",", -1)) {
            String term = raw.trim();
            if (term.isEmpty()) {
                throw new ConfigException("'" + text.trim() + "' has an empty term (two commas, or a comma at an end)");
            }
            Matcher m = TERM.matcher(term);
            if (!m.matches()) {
                throw new ConfigException("'" + term + "' is not a limit (like errors<1%, p99<500ms) or a setting"
                        + " (like window=30s)");
            }
            String key = m.group(1).toLowerCase(Locale.ROOT);
            String op = m.group(2);
            String value = m.group(3).trim();
            boolean limit = key.equals("errors") || QUANTILES.containsKey(key);
            boolean setting = key.equals("window") || key.equals("bake") || key.equals("min-requests");
            if (!limit && !setting) {
                throw new ConfigException("'" + term + "': unknown key '" + m.group(1) + "' (known: " + KNOWN + ")");
            }
            if (limit && !op.equals("<")) {
                throw new ConfigException("'" + term + "': " + key + " takes a limit with '<', like " + key
                        + (key.equals("errors") ? "<1%" : "<500ms"));
            }
            if (setting && !op.equals("=")) {
                throw new ConfigException("'" + term + "': " + key + " takes a value with '=', like " + key
                        + (key.equals("min-requests") ? "=100" : "=30s"));
            }
            if (terms.put(key, value) != null) {
                throw new ConfigException("'" + key + "' is given twice in '" + text.trim() + "'");
            }
            normalised.add(key + op + value);
        }
        Double errors = terms.containsKey("errors") ? percent(terms.get("errors")) : null;
        List<LatencyLimit> latency = new ArrayList<>();
        for (Map.Entry<String, String> t : terms.entrySet()) {
            Double q = QUANTILES.get(t.getKey());
            if (q != null) {
                Duration d = duration(t.getKey(), t.getValue(), Duration.ofNanos(1), MAX_LATENCY, false);
                latency.add(new LatencyLimit(t.getKey(), q, d));
            }
        }
        Duration window = terms.containsKey("window")
                ? duration("window", terms.get("window"), Duration.ofSeconds(1), MAX_WINDOW, true) : DEFAULT_WINDOW;
        Duration bake = terms.containsKey("bake")
                ? duration("bake", terms.get("bake"), Duration.ofSeconds(1), MAX_BAKE, true) : DEFAULT_BAKE;
        int min = terms.containsKey("min-requests") ? count(terms.get("min-requests")) : DEFAULT_MIN_REQUESTS;
        return new Guard(String.join(", ", normalised), errors, latency, window, bake, min);
    }

    /**
     * The map form of the standalone file ({@code errors: 1%}, {@code p99: 500ms}, {@code window: 30s},
     * {@code bake: 2m}, {@code minRequests: 200}): the same terms, the same checks.
     */
    public static Guard of(Map<String, String> map) {
        List<String> terms = new ArrayList<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            String key = e.getKey().equals("minRequests") ? "min-requests" : e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            boolean limit = key.equals("errors") || QUANTILES.containsKey(key);
            terms.add(key + (limit ? "<" : "=") + value);
        }
        return parse(String.join(", ", terms));
    }

    private static double percent(String value) {
        Matcher m = PERCENT.matcher(value);
        if (m.matches()) {
            double v = Double.parseDouble(m.group(1));
            if (v > 0 && v <= 100) {
                return v;
            }
        }
        throw new ConfigException("errors<" + value + ": the limit must be a percentage above 0 and at most 100,"
                + " like errors<1% or errors<0.5%");
    }

    private static Duration duration(String key, String value, Duration min, Duration max, boolean wholeSeconds) {
        Duration d;
        try {
            d = Units.duration(value);
        } catch (ConfigException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0 || (wholeSeconds && d.toMillis() % 1000 != 0)) {
            throw new ConfigException(key + ": '" + value + "' must be " + (wholeSeconds ? "whole seconds, " : "")
                    + "within " + Units.format(min.toMillis() == 0 ? Duration.ofMillis(1) : min) + ".."
                    + Units.format(max));
        }
        return d;
    }

    private static int count(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_MIN_REQUESTS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException("min-requests: '" + value + "' is not a whole number within 1.." + MAX_MIN_REQUESTS);
    }

    /** The window in whole seconds. */
    public int windowSeconds() {
        return (int) window.toSeconds();
    }

    /**
     * Judges figures over the window.
     *
     * @return {@link Verdict.Kind#TOO_FEW} below {@code min-requests}; else {@code BREACH} when any limit is reached,
     *         else {@code PASS}; with the figures and, on a breach, what breached, one line each
     */
    public Verdict judge(WindowFigures f) {
        StringBuilder figures = new StringBuilder();
        figures.append("requests=").append(f.requests()).append(" errors=").append(f.errors())
                .append(" (").append(pct(f.errorRatio() * 100)).append(')');
        for (LatencyLimit l : latency) {
            figures.append(' ').append(l.name()).append('=').append(ms(f.percentileNanos(l.quantile())));
        }
        if (f.requests() < minRequests) {
            return new Verdict(Verdict.Kind.TOO_FEW, figures.toString(), null);
        }
        List<String> breaches = new ArrayList<>();
        if (maxErrorPercent != null && f.errorRatio() * 100 >= maxErrorPercent) {
            breaches.add("errors " + pct(f.errorRatio() * 100) + " >= " + pct(maxErrorPercent));
        }
        long timed = 0;
        for (long n : f.latency()) {
            timed += n;
        }
        for (LatencyLimit l : latency) {
            long slow = f.slowerThan(l.bucket());
            if (timed > 0 && slow > timed * (100 - l.quantile()) / 100.0) {
                breaches.add(l.name() + " " + ms(f.percentileNanos(l.quantile())) + " >= "
                        + ms(LatencyBuckets.upperNanos(l.bucket())));
            }
        }
        return breaches.isEmpty() ? new Verdict(Verdict.Kind.PASS, figures.toString(), null)
                : new Verdict(Verdict.Kind.BREACH, figures.toString(), String.join(", ", breaches));
    }

    /** The outcome of one judgement. */
    public record Verdict(Kind kind, String figures, String breach) {
        public enum Kind { PASS, BREACH, TOO_FEW }
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.2f%%", v);
    }

    static String ms(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return ">" + LatencyBuckets.upperNanos(LatencyBuckets.COUNT - 2) / 1_000_000_000L + "s";
        }
        return nanos % 1_000_000L == 0 ? nanos / 1_000_000L + "ms"
                : String.format(Locale.ROOT, "%.2fms", nanos / 1_000_000.0);
    }

    @Override
    public String toString() {
        return text;
    }
}
