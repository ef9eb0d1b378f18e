package dev.teal.gateway.routing;

/**
 * Reads and removes one cookie pair in a {@code Cookie} header value ({@code a=1; b=2}) without touching the others:
 * what is left is the header's own bytes, pairs and separators as they came, less the pair removed and its separator.
 */
public final class CookiePairs {
    private CookiePairs() {
    }

    /** The value of the first pair named {@code name} (exact, case-sensitive), unquoted; or null. */
    public static String value(String header, String name) {
        int i = 0;
        int n = header.length();
        while (i < n) {
            int end = header.indexOf(';', i);
            if (end < 0) {
                end = n;
            }
            int s = skipSpace(header, i, end);
            int eq = header.indexOf('=', s);
            if (eq > 0 && eq < end && eq - s == name.length() && header.startsWith(name, s)) {
                String v = header.substring(eq + 1, end).trim();
                if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
            i = end + 1;
        }
        return null;
    }

    /**
     * The header without every pair named {@code name}: the same string when there is none, null when nothing is
     * left.
     */
    public static String without(String header, String name) {
        if (!header.contains(name)) {
            return header;
        }
        StringBuilder out = null;
        int n = header.length();
        int i = 0;
        int keptFrom = 0; // start of the run of kept bytes not yet copied
        boolean removed = false;
        while (i <= n) {
            int end = header.indexOf(';', i);
            if (end < 0) {
                end = n;
            }
            int s = skipSpace(header, i, end);
            int eq = header.indexOf('=', s);
            boolean match = eq > 0 && eq < end && eq - s == name.length() && header.startsWith(name, s);
            if (match) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(header, keptFrom, i); // what came before this pair, separator included
                keptFrom = end + 1; // drop the pair and the ';' after it
                removed = true;
            }
            i = end + 1;
        }
        if (!removed) {
            return header;
        }
        if (keptFrom < n) {
            out.append(header, keptFrom, n);
        }
        String s = out.toString();
        // a pair removed last leaves the separator before it; one removed first leaves the space after it
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t' || s.charAt(b - 1) == ';')) {
            b--;
        }
        return a == b ? null : s.substring(a, b);
    }

    private static int skipSpace(String h, int from, int end) {
        int i = from;
        while (i < end && (h.charAt(i) == ' ' || h.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
