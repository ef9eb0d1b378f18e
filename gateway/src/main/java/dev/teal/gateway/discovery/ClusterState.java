package dev.teal.gateway.discovery;

import dev.teal.gateway.config.ServiceConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster objects discovery routes by, indexed by the keys they are looked up by and kept up to date one change at
 * a time, and the last build over them. A build redoes only what the changes since the last one touched:
 * <ul>
 *   <li>EndpointSlice changes only: the backends of the slices' Services (and the fronts they are colors of) are
 *       built again; every other ServiceConfig, the routes, the problems and the origins are the last build's own
 *       objects (no Ingress is visited).</li>
 *   <li>A Service or Ingress change: the Ingress rules are walked again (hash lookups per path), but only the changed
 *       Services' backends are built; the others are taken from the cache.</li>
 *   <li>A Service gaining or losing {@code teal.dev/serving} (the set of fronts): every backend is built again.</li>
 * </ul>
 * An object put again as the very instance already held, or with the same {@code resourceVersion} (see
 * {@link #same}), changes nothing and marks nothing stale: at start the events of the initial list arrive after the
 * first build read the stores, and a relist hands every object again.
 * The result equals what {@link ServiceMapBuilder#build} makes of the same objects. Not thread-safe: one thread (the
 * discovery thread) changes and builds it.
 */
final class ClusterState {
    private final ServiceMapBuilder builder;
    private final ServiceMapBuilder.ClusterIndex index = new ServiceMapBuilder.ClusterIndex();
    private final Map<String, Ingress> ingresses = new HashMap<>();
    private final Map<String, ServiceMapBuilder.Backend> backends = new HashMap<>();
    private final Set<String> staleBySlices = new HashSet<>();
    private List<Ingress> ordered;
    private boolean defaultClass;
    private boolean structural = true;
    private ServiceMapBuilder.Build last;

    ClusterState(ServiceMapBuilder builder) {
        this.builder = builder;
    }

    void putIngress(Ingress i) {
        String key = ServiceMapBuilder.ClusterIndex.key(i);
        Ingress held = ingresses.put(key, i); // the informer's copy from now on (else both stay in memory)
        if (same(held, i)) {
            if (held != i) {
                ordered = null; // sorted again at the next structural build, without the old copy
            }
            return;
        }
        ordered = null;
        structural = true;
    }

    void removeIngress(String key) {
        if (ingresses.remove(key) != null) {
            ordered = null;
            structural = true;
        }
    }

    void putService(Service s) {
        String key = ServiceMapBuilder.ClusterIndex.key(s);
        if (same(index.services.get(key), s)) {
            index.services.put(key, s); // the informer's copy from now on (else both stay in memory)
            return;
        }
        invalidate(index.putService(s));
        structural = true;
    }

    void removeService(String key) {
        invalidate(index.removeService(key));
        structural = true;
    }

    void putSlice(EndpointSlice s) {
        if (same(index.slice(s), s)) {
            index.replaceSlice(s); // the informer's copy from now on (else both stay in memory)
            return;
        }
        sliceChanged(index.putSlice(s));
    }

    void removeSlice(String key) {
        sliceChanged(index.removeSlice(key));
    }

    /**
     * Whether {@code next} is what is held already: the very object (an informer event that arrived after the store
     * was read), or the same {@code resourceVersion} (a watch or relist handing an unchanged object again: the API
     * server changes the version with every write).
     */
    static boolean same(HasMetadata held, HasMetadata next) {
        if (held == next) {
            return true;
        }
        if (held == null) {
            return false;
        }
        String version = next.getMetadata().getResourceVersion();
        return version != null && version.equals(held.getMetadata().getResourceVersion());
    }

    /** Whether the gateway's IngressClass is the cluster's default (then Ingresses without a class are served). */
    void defaultClass(boolean value) {
        if (value != defaultClass) {
            defaultClass = value;
            ordered = null;
            structural = true;
        }
    }

    Collection<Ingress> ingresses() {
        return ingresses.values();
    }

    private void sliceChanged(Collection<String> stale) {
        if (stale == null) {
            invalidate(null);
            structural = true;
        } else {
            staleBySlices.addAll(stale);
        }
    }

    private void invalidate(Collection<String> stale) {
        if (stale == null) {
            backends.clear();
        } else {
            stale.forEach(backends::remove);
        }
    }

    /** The services and routes of the objects as they are now; the last build itself when nothing changed. */
    ServiceMapBuilder.Build build() {
        if (!structural && last != null) {
            return last = slicesOnly();
        }
        invalidate(staleBySlices);
        staleBySlices.clear();
        if (ordered == null) {
            ordered = builder.ordered(ingresses.values(), defaultClass);
        }
        ServiceMapBuilder.Build next = builder.run(index, backends, ordered);
        if (last != null && last.result().routes().equals(next.result().routes())) {
            next = new ServiceMapBuilder.Build(new ServiceMapBuilder.Result(next.result().services(),
                    last.result().routes(), next.result().origins()), next.problems()); // the same object: no recompile
        }
        structural = false;
        return last = next;
    }

    /**
     * Only slices changed: a backend's routability, port and origin come from its Service and the Ingresses, so only
     * the endpoints of the stale backends change; each is built again through the port it was routed by.
     */
    private ServiceMapBuilder.Build slicesOnly() {
        Map<String, ServiceConfig> services = null;
        for (String key : staleBySlices) {
            ServiceMapBuilder.Backend old = backends.get(key);
            Service svc = index.services.get(key);
            if (old == null || old.failure() != null || svc == null) {
                continue; // not routed, or not routable whatever its endpoints
            }
            ServiceMapBuilder.Backend fresh = builder.rebuild(index, svc, old.portName());
            backends.put(key, fresh);
            String name = old.config().name();
            if (last.result().services().get(name) == old.config()) {
                if (services == null) {
                    services = new LinkedHashMap<>(last.result().services());
                }
                services.put(name, fresh.config());
            }
        }
        staleBySlices.clear();
        if (services == null) {
            return last;
        }
        return new ServiceMapBuilder.Build(new ServiceMapBuilder.Result(services, last.result().routes(),
                last.result().origins()), last.problems());
    }
}
