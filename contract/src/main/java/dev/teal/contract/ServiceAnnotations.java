package dev.teal.contract;

import static dev.teal.contract.Annotations.BACKEND_PROTOCOL;
import static dev.teal.contract.Annotations.GUARD;
import static dev.teal.contract.Annotations.HEALTH_HEALTHY_THRESHOLD;
import static dev.teal.contract.Annotations.HEALTH_INTERVAL;
import static dev.teal.contract.Annotations.HEALTH_PATH;
import static dev.teal.contract.Annotations.HEALTH_TIMEOUT;
import static dev.teal.contract.Annotations.HEALTH_UNHEALTHY_THRESHOLD;
import static dev.teal.contract.Annotations.MAX_BODY_SIZE;
import static dev.teal.contract.Annotations.MAX_INFLIGHT;
import static dev.teal.contract.Annotations.PREVIEW;
import static dev.teal.contract.Annotations.PREVIEW_COOKIE;
import static dev.teal.contract.Annotations.PREVIEW_FROM;
import static dev.teal.contract.Annotations.PREVIEW_HEADER;
import static dev.teal.contract.Annotations.STICKY;

import dev.teal.contract.guard.Guard;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The per-service settings a front Service carries besides its colors, parsed from its annotations with the same
 * names, bounds and defaults as the standalone file's {@code services.<name>} keys:
 *
 * <ul>
 *   <li>{@value Annotations#HEALTH_PATH}: turns on active health checks ({@code GET path} per endpoint, 2xx/3xx healthy);
 *       tuned by {@value Annotations#HEALTH_INTERVAL} (2s), {@value Annotations#HEALTH_TIMEOUT} (1s), {@value Annotations#HEALTH_UNHEALTHY_THRESHOLD}
 *       (2) and {@value Annotations#HEALTH_HEALTHY_THRESHOLD} (1);</li>
 *   <li>{@value Annotations#MAX_BODY_SIZE}: largest request body ({@code 10MiB}; 0, the default, is unlimited);</li>
 *   <li>{@value Annotations#MAX_INFLIGHT}: requests in flight for the service (0, the default, is unlimited);</li>
 *   <li>{@value Annotations#BACKEND_PROTOCOL}: {@code http} (the default) or {@code h2c} (HTTP/2 cleartext to the
 *       endpoints, for gRPC).</li>
 *   <li>{@value Annotations#PREVIEW} ({@code "true"}/{@code "false"}, default false), with
 *       {@value Annotations#PREVIEW_HEADER}, {@value Annotations#PREVIEW_COOKIE} and {@value Annotations#PREVIEW_FROM}
 *       (see {@link Preview}); the three are refused without preview on (a setting that does nothing is a
 *       mistake);</li>
 *   <li>{@value Annotations#STICKY} ({@code "true"}/{@code "false"}, default false): the version-sticky window.</li>
 *   <li>{@value Annotations#GUARD}: a guard on cutovers ({@link Guard}); the gateways then keep per-color window
 *       figures and show them in {@code /status}.</li>
 * </ul>
 *
 * The controller validates them with {@link #parse} too (a bad value blocks the cutover with a Warning Event);
 * the gateway keeps the last settings that parsed for the service ({@link LastGood}), so a bad value changes
 * nothing.
 *
 * @param healthCheck the active health check, or null for none
 * @param protocol    how the gateway speaks to the endpoints
 * @param preview     preview of non-serving colors, or null for off
 * @param sticky      the version-sticky window is on
 * @param guard       the cutover guard, or null for none
 */
public record ServiceAnnotations(long maxBodySize, int maxInflight, HealthCheck healthCheck,
                                 BackendProtocol protocol, Preview preview, boolean sticky, Guard guard) {
    /** What a front Service without any of these annotations gets: no health check, no limits, HTTP/1.1. */
    public static final ServiceAnnotations NONE = new ServiceAnnotations(0, 0, null);

    /** Without preview, sticky and guard, with a protocol. */
    public ServiceAnnotations(long maxBodySize, int maxInflight, HealthCheck healthCheck, BackendProtocol protocol,
                              Preview preview, boolean sticky) {
        this(maxBodySize, maxInflight, healthCheck, protocol, preview, sticky, null);
    }

    /** HTTP/1.1 to the endpoints, no preview, no sticky window, with a guard. */
    public ServiceAnnotations(long maxBodySize, int maxInflight, HealthCheck healthCheck, Guard guard) {
        this(maxBodySize, maxInflight, healthCheck, BackendProtocol.HTTP, null, false, guard);
    }

    public ServiceAnnotations {
        Objects.requireNonNull(protocol, "protocol");
    }

    /** Settings that speak HTTP/1.1 to the endpoints, without preview and sticky. */
    public ServiceAnnotations(long maxBodySize, int maxInflight, HealthCheck healthCheck) {
        this(maxBodySize, maxInflight, healthCheck, BackendProtocol.HTTP, null, false);
    }

    /** Without preview and sticky. */
    public ServiceAnnotations(long maxBodySize, int maxInflight, HealthCheck healthCheck, BackendProtocol protocol) {
        this(maxBodySize, maxInflight, healthCheck, protocol, null, false);
    }

    /** Settings that speak HTTP/1.1 to the endpoints. */
    public ServiceAnnotations(long maxBodySize, int maxInflight, HealthCheck healthCheck, Preview preview,
                              boolean sticky) {
        this(maxBodySize, maxInflight, healthCheck, BackendProtocol.HTTP, preview, sticky);
    }

    static final int MAX_THRESHOLD = 100;
    static final int MAX_INFLIGHT_LIMIT = 10_000_000;

    /**
     * Parses the annotations of one front Service.
     *
     * @throws ConfigException naming the first bad annotation, its value and what is expected
     */
    public static ServiceAnnotations parse(Map<String, String> annotations) {
        long maxBody = annotations.containsKey(MAX_BODY_SIZE) ? size(MAX_BODY_SIZE, annotations.get(MAX_BODY_SIZE)) : 0;
        int maxInflight = integer(MAX_INFLIGHT, annotations.get(MAX_INFLIGHT), 0, MAX_INFLIGHT_LIMIT, 0);
        HealthCheck def = HealthCheck.defaults("/");
        Duration interval = duration(HEALTH_INTERVAL, annotations.get(HEALTH_INTERVAL), def.interval());
        Duration timeout = duration(HEALTH_TIMEOUT, annotations.get(HEALTH_TIMEOUT), def.timeout());
        int unhealthy = integer(HEALTH_UNHEALTHY_THRESHOLD, annotations.get(HEALTH_UNHEALTHY_THRESHOLD), 1,
                MAX_THRESHOLD, def.unhealthyThreshold());
        int healthy = integer(HEALTH_HEALTHY_THRESHOLD, annotations.get(HEALTH_HEALTHY_THRESHOLD), 1, MAX_THRESHOLD,
                def.healthyThreshold());
        String path = annotations.get(HEALTH_PATH);
        HealthCheck check = null;
        if (path != null) {
            try {
                check = new HealthCheck(path.trim(), interval, timeout, unhealthy, healthy);
            } catch (ConfigException e) {
                throw new ConfigException(HEALTH_PATH + ": '" + path
                        + "' must start with '/' and contain no spaces or control characters");
            }
        }
        BackendProtocol protocol = BackendProtocol.HTTP;
        if (annotations.containsKey(BACKEND_PROTOCOL)) {
            try {
                protocol = BackendProtocol.parse(annotations.get(BACKEND_PROTOCOL));
            } catch (ConfigException e) {
                throw new ConfigException(BACKEND_PROTOCOL + ": " + e.getMessage());
            }
        }
        Guard guard = null;
        if (annotations.containsKey(GUARD)) {
            try {
                guard = Guard.parse(annotations.get(GUARD));
            } catch (ConfigException e) {
                throw new ConfigException(GUARD + ": " + e.getMessage());
            }
        }
        return new ServiceAnnotations(maxBody, maxInflight, check, protocol, preview(annotations),
                bool(STICKY, annotations.get(STICKY)), guard);
    }

    private static Preview preview(Map<String, String> annotations) {
        boolean on = bool(PREVIEW, annotations.get(PREVIEW));
        if (!on) {
            for (String a : new String[] {PREVIEW_HEADER, PREVIEW_COOKIE, PREVIEW_FROM}) {
                if (annotations.containsKey(a)) {
                    throw new ConfigException(a + ": set, but " + PREVIEW + " is not \"true\"");
                }
            }
            return null;
        }
        String header = annotations.getOrDefault(PREVIEW_HEADER, Preview.DEFAULT_HEADER).trim();
        String cookie = annotations.getOrDefault(PREVIEW_COOKIE, Preview.DEFAULT_COOKIE).trim();
        String from = annotations.get(PREVIEW_FROM);
        try {
            new Preview(header, Preview.DEFAULT_COOKIE, java.util.List.of());
        } catch (ConfigException e) {
            throw new ConfigException(PREVIEW_HEADER + ": '" + header + "' is not a valid header name");
        }
        try {
            new Preview(Preview.DEFAULT_HEADER, cookie, java.util.List.of());
        } catch (ConfigException e) {
            throw new ConfigException(PREVIEW_COOKIE + ": '" + cookie + "' is not a valid cookie name");
        }
        try {
            return new Preview(header, cookie, from == null ? java.util.List.of() : Preview.fromList(from));
        } catch (ConfigException e) {
            throw new ConfigException(PREVIEW_FROM + ": " + e.getMessage().substring("from: ".length()));
        }
    }

    private static boolean bool(String annotation, String value) {
        if (value == null) {
            return false;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(annotation + ": '" + value + "' is not \"true\" or \"false\"");
        };
    }

    private static long size(String annotation, String value) {
        try {
            return Units.size(value);
        } catch (ConfigException | ArithmeticException e) {
            throw new ConfigException(annotation + ": '" + value + "' is not a size (like 1048576, 512KiB, 10MiB)");
        }
    }

    private static int integer(String annotation, String value, int min, int max, int absent) {
        if (value == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(annotation + ": '" + value + "' is not a whole number within " + min + ".." + max);
    }

    private static Duration duration(String annotation, String value, Duration absent) {
        if (value == null) {
            return absent;
        }
        try {
            Duration d = Units.duration(value);
            if (!d.isZero()) {
                return d;
            }
        } catch (ConfigException e) {
            throw new ConfigException(annotation + ": " + e.getMessage());
        }
        throw new ConfigException(annotation + ": '" + value + "' must be longer than 0");
    }

    /**
     * The gateway's memory of the last settings that parsed, per service: a bad value keeps them (one warning per
     * distinct bad value; the controller reports it as phase Blocked with a Warning Event).
     */
    public static final class LastGood {
        private final Map<String, ServiceAnnotations> good = new HashMap<>();
        private final Map<String, String> reported = new HashMap<>();

        public synchronized ServiceAnnotations of(String key, Map<String, String> annotations, Consumer<String> warn) {
            try {
                ServiceAnnotations parsed = parse(annotations);
                good.put(key, parsed);
                reported.remove(key);
                return parsed;
            } catch (ConfigException e) {
                ServiceAnnotations kept = good.getOrDefault(key, NONE);
                if (!Objects.equals(reported.put(key, e.getMessage()), e.getMessage())) {
                    warn.accept("Service " + key + ": " + e.getMessage() + "; keeping its previous settings");
                }
                return kept;
            }
        }
    }
}
