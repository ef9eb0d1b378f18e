package dev.teal.contract;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Preview of a color that does not serve: a request naming a color in {@link #header} or in the cookie
 * {@link #cookie} goes to that color (or gets 503, never the serving color). Both are stripped before the request
 * goes upstream. Parsed from the standalone file ({@code preview: true} or a mapping) and from the annotations
 * {@value Annotations#PREVIEW}, {@value Annotations#PREVIEW_HEADER}, {@value Annotations#PREVIEW_COOKIE} and
 * {@value Annotations#PREVIEW_FROM}.
 *
 * @param header the request header naming the color, lower case (HTTP header names are case-insensitive)
 * @param cookie the cookie naming the color (cookie names are case-sensitive)
 * @param from   who may preview: CIDRs (a bare address is one host) and/or {@value #TRUSTED_PROXIES} (the gateway's
 *               {@code trustedProxies}); empty: any client. From anyone else the header and cookie are ignored
 *               (stripped, the request routed as usual). The address checked is the TCP peer's.
 */
public record Preview(String header, String cookie, List<String> from) {
    public static final String DEFAULT_HEADER = "X-Teal-Color";
    public static final String DEFAULT_COOKIE = "teal-color";
    /** The entry of {@code from} that stands for the gateway's {@code trustedProxies}. */
    public static final String TRUSTED_PROXIES = "trustedProxies";
    /** An HTTP token (RFC 9110): what a header or cookie name may be made of. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]+");
    /** Preview with the default names, from any client (after the patterns: it is checked by them). */
    public static final Preview DEFAULTS = new Preview(DEFAULT_HEADER, DEFAULT_COOKIE, List.of());

    public Preview {
        if (header == null || !TOKEN.matcher(header).matches()) {
            throw new ConfigException("header: '" + header + "' is not a valid header name");
        }
        header = header.toLowerCase(Locale.ROOT);
        if (cookie == null || !TOKEN.matcher(cookie).matches()) {
            throw new ConfigException("cookie: '" + cookie + "' is not a valid cookie name");
        }
        from = List.copyOf(from);
        for (String f : from) {
            checkFrom(f);
        }
    }

    /** {@link #from} has an entry other than {@value #TRUSTED_PROXIES}, or none: checks each entry's syntax. */
    private static void checkFrom(String entry) {
        if (TRUSTED_PROXIES.equals(entry)) {
            return;
        }
        String bad = "from: '" + entry + "' is not a CIDR (like 10.0.0.0/8), an address, or " + TRUSTED_PROXIES;
        int slash = entry.indexOf('/');
        String addr = slash < 0 ? entry : entry.substring(0, slash);
        if (addr.isEmpty() || !ADDRESS.matcher(addr).matches()) {
            throw new ConfigException(bad);
        }
        int max;
        try {
            max = InetAddress.getByName(addr).getAddress().length * 8; // a literal: no name lookup happens
        } catch (UnknownHostException e) {
            throw new ConfigException(bad);
        }
        if (slash >= 0) {
            try {
                int prefix = Integer.parseInt(entry.substring(slash + 1));
                if (prefix < 0 || prefix > max) {
                    throw new ConfigException(bad);
                }
            } catch (NumberFormatException e) {
                throw new ConfigException(bad);
            }
        }
    }

    /** The value of {@value Annotations#PREVIEW_FROM}: comma-separated entries, blanks ignored. */
    public static List<String> fromList(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }
}
