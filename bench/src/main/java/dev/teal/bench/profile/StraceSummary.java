package dev.teal.bench.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The summary table {@code strace -c -U name,calls,errors} writes when it detaches: calls per system call name (in
 * the table's order, most time first) and the {@code total} line.
 *
 * <pre>
 * syscall                calls    errors
 * ------------------ --------- ---------
 * futex                    196        18
 * execve                     1
 * ------------------ --------- ---------
 * total                   1413       143
 * </pre>
 */
public record StraceSummary(Map<String, Long> calls, long total, long errors) {

    public StraceSummary {
        calls = Collections.unmodifiableMap(new LinkedHashMap<>(calls));
    }

    /** Parses the table; fails with the offending line when it is not one. */
    public static StraceSummary parse(String text) {
        Map<String, Long> calls = new LinkedHashMap<>();
        boolean header = false;
        Long total = null;
        long errors = 0;
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("---") || line.startsWith("strace:")) {
                continue;
            }
            String[] t = line.split("\\s+");
            if (!header) {
                if (t.length >= 2 && t[0].equals("syscall") && t[1].equals("calls")) {
                    header = true;
                    continue;
                }
                throw new IllegalArgumentException("not an strace -U name,calls,errors table: " + line);
            }
            if (t.length < 2 || t.length > 3) {
                throw new IllegalArgumentException("unexpected strace summary line: " + line);
            }
            long n = number(t[1], line);
            if (t[0].equals("total")) {
                total = n;
                errors = t.length == 3 ? number(t[2], line) : 0;
            } else {
                calls.merge(t[0], n, Long::sum);
            }
        }
        if (!header) {
            throw new IllegalArgumentException("no strace summary table (strace saw no system call?)");
        }
        return new StraceSummary(calls, total != null ? total : calls.values().stream().mapToLong(Long::longValue).sum(),
                errors);
    }

    private static long number(String s, String line) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected strace summary line: " + line);
        }
    }
}
