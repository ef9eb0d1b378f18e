package dev.teal.gateway.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The store behind each informer. It keeps every object without the two parts of its metadata that routing never
 * reads and that are often most of its size in a real cluster: {@code managedFields} (server-side apply bookkeeping)
 * and the {@code kubectl.kubernetes.io/last-applied-configuration} annotation (a second copy of the whole object).
 * Everything else, including every other annotation, is kept as the API server sent it.
 */
final class TrimmedItemStore<T extends HasMetadata> extends BasicItemStore<T> {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    TrimmedItemStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public T put(String key, T obj) {
        return super.put(key, trim(obj));
    }

    /** {@code obj} without managed fields and the last-applied annotation (changed in place, and returned). */
    static <T extends HasMetadata> T trim(T obj) {
        ObjectMeta meta = obj.getMetadata();
        if (meta == null) {
            return obj;
        }
        if (meta.getManagedFields() != null && !meta.getManagedFields().isEmpty()) {
            meta.setManagedFields(null);
        }
        Map<String, String> annotations = meta.getAnnotations();
        if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            Map<String, String> kept = new LinkedHashMap<>(annotations);
            kept.remove(LAST_APPLIED);
            meta.setAnnotations(kept);
        }
        return obj;
    }
}
