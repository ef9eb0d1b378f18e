package dev.teal.contract;

import java.util.regex.Pattern;

/** Allow-lists for the names users give to services and colors. */
public final class Names {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private Names() {
    }

    /** A color is a DNS label: lower case letters, digits and '-', at most 63 characters. */
    public static String color(String value) {
        if (value == null || !DNS_LABEL.matcher(value).matches()) {
            throw new ConfigException("'" + value + "' is not a valid color name (a DNS label: a-z, 0-9, '-')");
        }
        return value;
    }

    /** Whether {@code value} is a valid color name (see {@link #color}). */
    public static boolean isColor(String value) {
        return value != null && DNS_LABEL.matcher(value).matches();
    }

    /** A service is a DNS label, or {@code name.namespace} in Kubernetes mode. */
    public static String service(String value) {
        if (value == null || !SERVICE.matcher(value).matches()) {
            throw new ConfigException("'" + value + "' is not a valid service name (a-z, 0-9, '-', '.')");
        }
        return value;
    }

    /** A Host header match: a host name, lower-cased, optionally with a leading {@code *.} wildcard. */
    public static String host(String value) {
        String lower = value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
        if (lower == null || !HOST.matcher(lower).matches()) {
            throw new ConfigException("'" + value + "' is not a valid host name");
        }
        return lower;
    }
}
