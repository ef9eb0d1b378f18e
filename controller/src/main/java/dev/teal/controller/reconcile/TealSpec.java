package dev.teal.controller.reconcile;

import dev.teal.contract.guard.Guard;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The typed form of a front Service's {@code teal.dev/*} annotations and selector; nothing downstream sees a raw
 * annotation string.
 *
 * @param active         the color the user wants to serve ({@code teal.dev/active})
 * @param serving        the color gateways route to ({@code teal.dev/serving}); null before the first cutover
 * @param colorLabel     the pod label that holds the color ({@code teal.dev/color-label}, default {@code color})
 * @param minReady       ready endpoints the target needs before the switch ({@code teal.dev/min-ready}, default 1)
 * @param drainTimeout   how long a replica may drain the old color ({@code teal.dev/drain-timeout}, default 30s)
 * @param scaleDownDelay delay before the old color's Deployments go to 0 replicas; null means never
 * @param baseSelector   the front Service's selector without the color label; never empty
 * @param healthPath     {@code teal.dev/health-path}: the gateways' health checks are a second switch gate; null
 *                       when the Service sets none
 * @param guard          {@code teal.dev/guard}: judged after each cutover, rolled back on a breach; null for none
 * @param retry          {@code teal.dev/retry}: changed by the user to retry a rolled-back cutover; null when absent
 */
public record TealSpec(String active, String serving, String colorLabel, int minReady, Duration drainTimeout,
                       Duration scaleDownDelay, Map<String, String> baseSelector, String healthPath, Guard guard,
                       String retry) {

    public TealSpec {
        Objects.requireNonNull(active, "active");
        Objects.requireNonNull(colorLabel, "colorLabel");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        baseSelector = Map.copyOf(baseSelector);
    }

    /** True while {@code teal.dev/active} asks for something the gateways do not serve yet. */
    public boolean cutoverRequested() {
        return !active.equals(serving);
    }
}
