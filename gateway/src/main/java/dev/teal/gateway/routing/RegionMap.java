package dev.teal.gateway.routing;

import java.util.Map;

/**
 * An immutable hash map from strings, looked up by a region of a longer string without copying it: the route table
 * asks for {@code uri[0..i)} at every {@code /} of a request path, and for the host part of a Host header. The hash is
 * {@link String#hashCode()}'s, so a caller that walks a region once can look up each of its prefixes. With
 * {@code ignoreCase} the region's ASCII upper-case letters compare (and hash) as lower case; keys must then be lower
 * case.
 */
final class RegionMap<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    RegionMap(Map<String, V> entries) {
        int cap = Integer.highestOneBit(Math.max(4, entries.size() * 2) - 1) << 1;
        keys = new String[cap];
        values = new Object[cap];
        mask = cap - 1;
        for (Map.Entry<String, V> e : entries.entrySet()) {
            int i = spread(e.getKey().hashCode()) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = e.getKey();
            values[i] = e.getValue();
        }
    }

    static int hash(CharSequence s, int from, int to, boolean ignoreCase) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + (ignoreCase ? lower(s.charAt(i)) : s.charAt(i));
        }
        return h;
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    V get(CharSequence s, int from, int to, boolean ignoreCase) {
        return get(hash(s, from, to, ignoreCase), s, from, to, ignoreCase);
    }

    /** The value for {@code s[from..to)} whose {@link #hash} is {@code hash}, or null. */
    @SuppressWarnings("unchecked")
    V get(int hash, CharSequence s, int from, int to, boolean ignoreCase) {
        int i = spread(hash) & mask;
        String k;
        while ((k = keys[i]) != null) {
            if (k.hashCode() == hash && equal(k, s, from, to, ignoreCase)) {
                return (V) values[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private static boolean equal(String key, CharSequence s, int from, int to, boolean ignoreCase) {
        int n = to - from;
        if (key.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(from + i);
            if (key.charAt(i) != (ignoreCase ? lower(c) : c)) {
                return false;
            }
        }
        return true;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
