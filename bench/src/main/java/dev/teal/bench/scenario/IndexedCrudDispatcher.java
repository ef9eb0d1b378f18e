package dev.teal.bench.scenario;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * fabric8's CRUD dispatcher with an index by {@code plural/namespace/name}: the stock one finds the object of a
 * {@code PUT} (and of a {@code GET} by name) by matching every stored object against the request (10–16 {@code PUT}s
 * a second at 30,000 objects). Everything else is fabric8's own: the {@code PUT} handler (resourceVersion check,
 * metadata kept, generation), lists with label selectors and the watch events sent to every watcher. A request whose
 * object the index does not know (no name in it, or an object stored some other way) goes to fabric8's scan, and
 * {@link #scans()} counts those.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
    private final Map<String, AttributeSet> byName = new HashMap<>();
    /** Around every request: fabric8's own lock is private, and the index must change with its map. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final AtomicLong version = new AtomicLong(1);
    private final AtomicLong scans = new AtomicLong();

    /**
     * Stores {@code o} as fabric8's POST handler would (resourceVersion, uid, creationTimestamp, generation set),
     * without a request: creating 30,000 objects through the API scans the store for each. No watch event is sent
     * (call it before anything watches).
     *
     * @param path the collection's path, e.g. {@code /api/v1/namespaces/ns/services}
     */
    void seed(String path, HasMetadata o, String created) {
        o.getMetadata().setResourceVersion(String.valueOf(version.getAndIncrement()));
        o.getMetadata().setUid(java.util.UUID.randomUUID().toString());
        o.getMetadata().setCreationTimestamp(created);
        o.getMetadata().setGeneration(1L);
        String json = Serialization.asJson(o);
        AttributeSet key = AttributeSet.merge(getAttributeExtractor().fromPath(path),
                getAttributeExtractor().fromResource(json));
        lock.writeLock().lock();
        try {
            map.put(key, json);
            index(key);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Requests that had to scan the whole store (the index did not know their object). */
    long scans() {
        return scans.get();
    }

    @Override
    public long requestResourceVersion() {
        return Math.max(super.requestResourceVersion(), version.getAndIncrement()); // above the seeded ones
    }

    @Override
    public Map.Entry<AttributeSet, String> findResource(AttributeSet attributes) {
        String name = nameKey(attributes);
        AttributeSet held = name == null ? null : byName.get(name);
        String json = held == null ? null : map.get(held);
        if (json != null && held.matches(attributes)) {
            return Map.entry(held, json);
        }
        scans.incrementAndGet();
        return super.findResource(attributes);
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String newState) {
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        if (oldAttributes != null) {
            String old = nameKey(oldAttributes);
            if (old != null && byName.get(old) == oldAttributes) {
                byName.remove(old);
            }
        }
        if (newState != null) { // as fabric8 keys it: the resource's attributes, plus the path's plural
            AttributeSet now = resource != null ? ((KubernetesAttributesExtractor) getAttributeExtractor())
                    .extract(resource) : getAttributeExtractor().fromResource(newState);
            if (!now.containsKey(KubernetesAttributesExtractor.PLURAL)) {
                now = AttributeSet.merge(pathAttributes, now);
            }
            if (map.containsKey(now)) {
                index(now);
            }
        }
    }

    @Override
    public MockResponse handleGet(String path) {
        if (!path.contains("watch=")) {
            lock.readLock().lock();
            try {
                AttributeSet query = getAttributeExtractor().fromPath(path);
                String name = nameKey(query);
                AttributeSet held = name == null ? null : byName.get(name);
                String json = held == null ? null : map.get(held);
                if (json != null && held.matches(query)) {
                    return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(json);
                }
            } finally {
                lock.readLock().unlock();
            }
        }
        lock.readLock().lock();
        try {
            return super.handleGet(path);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return written(() -> super.handleCreate(request));
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return written(() -> super.handleUpdate(request));
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return written(() -> super.handlePatch(request));
    }

    @Override
    public MockResponse handleDelete(String path) {
        return written(() -> super.handleDelete(path));
    }

    private MockResponse written(java.util.function.Supplier<MockResponse> write) {
        lock.writeLock().lock();
        try {
            return write.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void index(AttributeSet key) {
        String name = nameKey(key);
        if (name != null) {
            byName.put(name, key);
        }
    }

    /** {@code plural/namespace/name} of an object's or a request's attributes; null without a plural or a name. */
    static String nameKey(AttributeSet a) {
        Attribute plural = a.getAttribute(KubernetesAttributesExtractor.PLURAL);
        Attribute name = a.getAttribute(KubernetesAttributesExtractor.NAME);
        if (plural == null || name == null) {
            return null;
        }
        Attribute ns = a.getAttribute(KubernetesAttributesExtractor.NAMESPACE);
        return plural.getValues() + "/" + (ns == null ? "" : ns.getValues()) + "/" + name.getValues();
    }
}
