package dev.teal.bench.load;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads h2load's (nghttp2-client) stdout: the {@code finished in}, {@code requests:} and {@code status codes:} lines
 * and the {@code TLS Protocol:} / {@code Application protocol:} lines it prints after the first handshake; and its
 * {@code --log-file} (tab-separated: start time in µs since the epoch, status, µs until the end of the response).
 */
public final class H2loadOutput {
    private static final Pattern FINISHED = Pattern.compile("^finished in ([0-9.]+)(us|ms|s),", Pattern.MULTILINE);
    private static final Pattern REQUESTS = Pattern.compile("^requests: (\\d+) total, \\d+ started, \\d+ done, (\\d+) "
            + "succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout", Pattern.MULTILINE);
    private static final Pattern STATUS = Pattern.compile("^status codes: (\\d+) 2xx,", Pattern.MULTILINE);
    private static final Pattern TLS = Pattern.compile("^TLS Protocol: (\\S+)", Pattern.MULTILINE);
    private static final Pattern ALPN = Pattern.compile("^Application protocol: (\\S+)", Pattern.MULTILINE);

    private H2loadOutput() {}

    /** The summary of one run; latencies -1 (see {@link #withLatencies}). */
    public static H2loadResult parse(String stdout) {
        Matcher f = find(FINISHED, stdout, "finished in");
        double value = Double.parseDouble(f.group(1));
        double seconds = switch (f.group(2)) {
            case "us" -> value / 1e6;
            case "ms" -> value / 1e3;
            default -> value;
        };
        Matcher r = find(REQUESTS, stdout, "requests:");
        Matcher s = find(STATUS, stdout, "status codes:");
        Matcher tls = TLS.matcher(stdout);
        Matcher alpn = ALPN.matcher(stdout);
        return new H2loadResult(Long.parseLong(r.group(1)), Long.parseLong(r.group(2)), Long.parseLong(r.group(3)),
                Long.parseLong(r.group(4)), Long.parseLong(r.group(5)), Long.parseLong(s.group(1)), seconds,
                tls.find() ? tls.group(1) : null, alpn.find() ? alpn.group(1) : null, -1, -1);
    }

    /** {@code result} with p50 and p99 of the durations in h2load's {@code --log-file} content. */
    public static H2loadResult withLatencies(H2loadResult result, String logFile) {
        long[] us = logFile.lines().filter(l -> !l.isBlank()).mapToLong(l -> {
            String[] cols = l.split("\t");
            if (cols.length < 3) {
                throw new IllegalArgumentException("not an h2load log line: " + l);
            }
            return Long.parseLong(cols[2].strip());
        }).toArray();
        if (us.length == 0) {
            return result;
        }
        Arrays.sort(us);
        return result.withLatencies(percentile(us, 0.50), percentile(us, 0.99));
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static Matcher find(Pattern p, String text, String what) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("h2load output has no '" + what + "' line:\n" + text);
        }
        return m;
    }
}
