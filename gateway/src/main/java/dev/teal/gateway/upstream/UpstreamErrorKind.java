package dev.teal.gateway.upstream;

/** The {@code kind} label of {@code teal_upstream_errors_total}. */
public enum UpstreamErrorKind {
    CONNECT, RESET, TIMEOUT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
