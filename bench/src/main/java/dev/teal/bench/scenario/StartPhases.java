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

    static Map<String, Long> read(Path log, Instant processStarted) throws IOException {
        return parse(Files.readAllLines(log), processStarted);
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
