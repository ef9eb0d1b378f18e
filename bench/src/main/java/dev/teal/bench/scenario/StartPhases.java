package dev.teal.bench.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cluster-mode gateway's start went, read from its own log lines ({@code gateway started},
 * {@code informer listed} per kind, {@code cluster routed} with its build and apply times): milliseconds since the
 * bench started the process, in the order they happened, plus {@code build} and {@code apply} as durations.
 */
final class StartPhases {
    private static final Pattern TS = Pattern.compile("^ts=(\\S+) ");
    private static final Pattern KIND = Pattern.compile(" kind=\"?(\\w+)\"?");

    private StartPhases() {}

    /** The phases of a cluster-mode gateway's start, up to routing every service (build and apply come with it). */
    static final List<String> TO_ROUTED = List.of("started", "listed Ingress", "listed Service",
            "listed EndpointSlice", "routed");

    static Map<String, Long> read(Path log, Instant processStarted) throws IOException {
        return parse(Files.readAllLines(log), processStarted);
    }

    /**
     * Reads the phases once every one of {@code phases} is in the log, or what is there when {@code timeout} ends. The
     * gateway may route before it has logged every {@code informer listed} line (routing waits for the informers'
     * synced flags; the line is written by a callback on the list's completion, and the log is asynchronous), so a
     * read right after "routed" can miss one.
     */
    static Map<String, Long> await(Path log, Instant processStarted, List<String> phases, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Long> read = read(log, processStarted);
            if (read.keySet().containsAll(phases) || System.nanoTime() - deadline > 0) {
                return read;
            }
            Thread.sleep(50);
        }
    }

    static Map<String, Long> parse(List<String> lines, Instant processStarted) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher ts = TS.matcher(line);
            if (!ts.find()) {
                continue;
            }
            long at;
            try {
                at = Duration.between(processStarted, Instant.parse(ts.group(1))).toMillis();
            } catch (java.time.format.DateTimeParseException notOurs) {
                continue;
            }
            if (line.contains("msg=\"gateway started\"")) {
                out.putIfAbsent("started", at);
            } else if (line.contains("msg=\"informer listed\"")) {
                Matcher kind = KIND.matcher(line);
                out.putIfAbsent("listed " + (kind.find() ? kind.group(1) : "?"), at);
            } else if (line.contains("msg=\"cluster routed\"")) {
                out.putIfAbsent("build", field(line, "buildMs"));
                out.putIfAbsent("apply", field(line, "applyMs"));
                out.putIfAbsent("routed", at);
            }
        }
        return out;
    }

    private static long field(String line, String name) {
        Matcher m = Pattern.compile(" " + name + "=\"?(\\d+)\"?").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
