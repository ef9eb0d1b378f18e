package dev.teal.contract;

import java.util.Locale;

/**
 * How the gateway speaks to a service's endpoints: {@code services.<name>.protocol} in the standalone file,
 * {@value Annotations#BACKEND_PROTOCOL} on a front Service.
 */
public enum BackendProtocol {
    /** HTTP/1.1 on pooled keep-alive connections (the default). */
    HTTP("http"),
    /** HTTP/2 cleartext with prior knowledge: streams multiplexed on few connections per endpoint (gRPC). */
    H2C("h2c");

    private final String text;

    BackendProtocol(String text) {
        this.text = text;
    }

    /** The name as written in the file and the annotation. */
    public String text() {
        return text;
    }

    /**
     * @throws ConfigException for anything but {@code http} or {@code h2c} (case-insensitive)
     */
    public static BackendProtocol parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (BackendProtocol p : values()) {
            if (p.text.equals(v)) {
                return p;
            }
        }
        throw new ConfigException("'" + value + "' is not a backend protocol (http or h2c)");
    }

    @Override
    public String toString() {
        return text;
    }
}
