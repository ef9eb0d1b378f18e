package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;

/**
 * How a route's path is compared with a request's path, as in the Kubernetes Ingress API.
 * {@link #IMPLEMENTATION_SPECIFIC} is matched exactly like {@link #PREFIX} (Teal's choice; the API leaves it to the
 * IngressClass).
 */
public enum PathType {
    /** The whole request path, case-sensitive; a trailing slash matters. */
    EXACT("Exact"),
    /** Element-wise on {@code /}-separated segments; a trailing slash on either side is ignored. */
    PREFIX("Prefix"),
    /** Treated as {@link #PREFIX}. */
    IMPLEMENTATION_SPECIFIC("ImplementationSpecific");

    private final String apiName;

    PathType(String apiName) {
        this.apiName = apiName;
    }

    /** The name as written in an Ingress or in the file ({@code Exact}, {@code Prefix}, ...). */
    public String apiName() {
        return apiName;
    }

    /** Whether the path is matched as a prefix (every type but {@code Exact}). */
    public boolean isPrefix() {
        return this != EXACT;
    }

    /** @throws ConfigException for anything but {@code Exact}, {@code Prefix}, {@code ImplementationSpecific} */
    public static PathType parse(String value) {
        for (PathType t : values()) {
            if (t.apiName.equals(value)) {
                return t;
            }
        }
        throw new ConfigException(value == null ? "pathType is required (Exact, Prefix or ImplementationSpecific)"
                : "unknown pathType '" + value + "' (Exact, Prefix or ImplementationSpecific)");
    }
}
