package dev.teal.controller.reconcile;

import static dev.teal.contract.Annotations.ACTIVE;
import static dev.teal.contract.Annotations.COLOR_LABEL;
import static dev.teal.contract.Annotations.DRAIN_TIMEOUT;
import static dev.teal.contract.Annotations.MIN_READY;
import static dev.teal.contract.Annotations.SCALE_DOWN_DELAY;
import static dev.teal.contract.Annotations.SERVING;

import dev.teal.contract.Annotations;
import dev.teal.contract.ClusterNames;
import dev.teal.contract.ConfigException;
import dev.teal.contract.Defaults;
import dev.teal.contract.Names;
import dev.teal.contract.ServiceAnnotations;
import dev.teal.contract.Units;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** The parser that turns a front Service's {@code teal.dev/*} annotations ({@link Annotations}) into a {@link TealSpec}. */
public final class TealAnnotations {
    static final int MAX_MIN_READY = 10_000;
    static final Duration MAX_DURATION = Duration.ofDays(7);

    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private TealAnnotations() {
    }

    /**
     * Parses the annotations of front Service {@code serviceName} with selector {@code selector}.
     *
     * @throws InvalidAnnotationException naming the annotation, the value and what is expected
     */
    public static TealSpec parse(String serviceName, Map<String, String> annotations, Map<String, String> selector) {
        String active = color(ACTIVE, annotations.get(ACTIVE));
        String servingRaw = annotations.get(SERVING);
        String serving = servingRaw == null ? null : color(SERVING, servingRaw);
        String colorLabel = labelKey(annotations.getOrDefault(COLOR_LABEL, Defaults.COLOR_LABEL));
        int minReady = minReady(annotations.get(MIN_READY));
        Duration drain = duration(DRAIN_TIMEOUT, annotations.get(DRAIN_TIMEOUT), Defaults.DRAIN_TIMEOUT);
        Duration scaleDown = duration(SCALE_DOWN_DELAY, annotations.get(SCALE_DOWN_DELAY), null);
        ServiceAnnotations settings;
        try {
            settings = ServiceAnnotations.parse(annotations); // the gateways' own parser: both sides agree
        } catch (ConfigException e) {
            throw new InvalidAnnotationException(e.getMessage());
        }
        Map<String, String> base = new LinkedHashMap<>(selector == null ? Map.of() : selector);
        base.remove(colorLabel);
        if (base.isEmpty()) {
            throw new InvalidAnnotationException("the front Service needs a selector besides the color label '"
                    + colorLabel + "' (e.g. app: " + serviceName + ")");
        }
        for (String c : serving == null ? new String[] {active} : new String[] {active, serving}) {
            if (ClusterNames.colorService(serviceName, c).length() > 63) {
                throw new InvalidAnnotationException("the per-color Service name '" + ClusterNames.colorService(serviceName, c)
                        + "' would be longer than 63 characters; use a shorter color or Service name");
            }
        }
        return new TealSpec(active, serving, colorLabel, minReady, drain, scaleDown, base,
                settings.healthCheck() == null ? null : settings.healthCheck().path(), settings.guard(),
                annotations.get(Annotations.RETRY));
    }

    private static String color(String annotation, String value) {
        try {
            return Names.color(value == null ? null : value.trim());
        } catch (ConfigException e) {
            throw new InvalidAnnotationException(annotation + ": " + e.getMessage());
        }
    }

    private static String labelKey(String value) {
        String v = value.trim();
        int slash = v.indexOf('/');
        String prefix = slash < 0 ? null : v.substring(0, slash);
        String name = slash < 0 ? v : v.substring(slash + 1);
        boolean ok = LABEL_NAME.matcher(name).matches()
                && (prefix == null || DNS_SUBDOMAIN.matcher(prefix).matches());
        if (!ok) {
            throw new InvalidAnnotationException(COLOR_LABEL + ": '" + value + "' is not a valid label key");
        }
        return v;
    }

    private static int minReady(String value) {
        if (value == null) {
            return Defaults.MIN_READY;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0 && n <= MAX_MIN_READY) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidAnnotationException(MIN_READY + ": '" + value + "' is not a whole number within 0.."
                + MAX_MIN_READY);
    }

    private static Duration duration(String annotation, String value, Duration absent) {
        if (value == null) {
            return absent;
        }
        try {
            Duration d = Units.duration(value);
            if (d.compareTo(MAX_DURATION) <= 0) {
                return d;
            }
            throw new InvalidAnnotationException(annotation + ": '" + value + "' is longer than 7 days");
        } catch (ConfigException e) {
            throw new InvalidAnnotationException(annotation + ": " + e.getMessage());
        }
    }
}
