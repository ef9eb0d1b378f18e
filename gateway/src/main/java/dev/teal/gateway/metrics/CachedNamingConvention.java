package dev.teal.gateway.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's naming convention with its answers for meter names and tag keys remembered. Prometheus' convention
 * runs regular expressions over the name and every tag key each time a meter is registered; a cluster-mode gateway
 * registers two gauges per routed service color, 20,000 at 10,000 services, all with the same few names and keys.
 * Tag values pass straight through (they are what differs, and the convention leaves them alone).
 */
final class CachedNamingConvention implements NamingConvention {
    private record NameKey(String name, Meter.Type type, String baseUnit) {
    }

    /** More distinct names or keys than this and new ones are no longer remembered (they are still converted). */
    private static final int LIMIT = 1024;

    private final NamingConvention delegate;
    private final Map<NameKey, String> names = new ConcurrentHashMap<>();
    private final Map<String, String> tagKeys = new ConcurrentHashMap<>();

    CachedNamingConvention(NamingConvention delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name(String name, Meter.Type type, String baseUnit) {
        NameKey key = new NameKey(name, type, baseUnit);
        String known = names.get(key);
        if (known != null) {
            return known;
        }
        String converted = delegate.name(name, type, baseUnit);
        if (names.size() < LIMIT) {
            names.put(key, converted);
        }
        return converted;
    }

    @Override
    public String tagKey(String key) {
        String known = tagKeys.get(key);
        if (known != null) {
            return known;
        }
        String converted = delegate.tagKey(key);
        if (tagKeys.size() < LIMIT) {
            tagKeys.put(key, converted);
        }
        return converted;
    }

    @Override
    public String tagValue(String value) {
        return delegate.tagValue(value);
    }
}
