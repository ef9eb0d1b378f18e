package dev.teal.contract;

import java.time.Duration;

/** The defaults both sides apply when a file key or an annotation is absent; each is defined here only. */
public final class Defaults {
    /** Longest an old-color request or connection is waited for: {@code drainTimeout} and {@code teal.dev/drain-timeout}. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** The pod label that holds the color when {@code teal.dev/color-label} is absent. */
    public static final String COLOR_LABEL = "color";
    /** Ready endpoints the target color needs when {@code teal.dev/min-ready} is absent. */
    public static final int MIN_READY = 1;
    /** The IngressClass gateways serve unless told otherwise. */
    public static final String INGRESS_CLASS = "teal";
    public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(2);
    public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);
    public static final int HEALTH_UNHEALTHY_THRESHOLD = 2;
    public static final int HEALTH_HEALTHY_THRESHOLD = 1;

    private Defaults() {
    }
}
