package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static dev.teal.gateway.testing.ClusterObjects.front;
import static dev.teal.gateway.testing.ClusterObjects.ingress;
import static dev.teal.gateway.testing.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.HostPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incremental build's cost per change, counted in work (backends built, Ingress paths visited), not time: at 1,000
 * services one EndpointSlice change builds one ServiceConfig and visits no Ingress; and after any sequence of changes
 * the result is the one a full build of the same objects gives.
 */
class ClusterStateTest {
    static final int N = 1_000;
    final ServiceMapBuilder builder = new ServiceMapBuilder("teal", w -> { });
    final ClusterState state = new ClusterState(builder);
    final List<Ingress> ingresses = new ArrayList<>();
    final List<Service> services = new ArrayList<>();
    final List<EndpointSlice> slices = new ArrayList<>();

    @BeforeEach
    void thousandServices() {
        for (int i = 0; i < N; i++) {
            ingresses.add(ingress("app" + i, "teal", "app" + i + ".example.com", "app" + i));
            services.add(front("app" + i, Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue")));
            slices.add(slice("app" + i + "-blue", "app" + i + "-blue-x", 9000, List.of("10.0.0." + (i % 250)),
                    List.of()));
        }
        ingresses.forEach(state::putIngress);
        services.forEach(state::putService);
        slices.forEach(state::putSlice);
    }

    @Test
    void oneSliceChangeBuildsOneServiceAndVisitsNoIngress() {
        ServiceMapBuilder.Build first = state.build();
        assertThat(first.result().services()).hasSize(N);
        long built = builder.backendsBuilt();
        long visited = builder.pathsVisited();

        state.putSlice(slice("app7-blue", "app7-blue-x", 9000, List.of("10.9.9.9"), List.of()));
        ServiceMapBuilder.Build next = state.build();

        assertThat(builder.backendsBuilt() - built).as("ServiceConfigs built for one slice change").isEqualTo(1);
        assertThat(builder.pathsVisited() - visited).as("Ingress paths visited for one slice change").isZero();
        assertThat(next.result().services().get("app7." + NS).colors().get("blue"))
                .containsExactly(new HostPort("10.9.9.9", 9000));
        assertThat(next.result().routes()).as("routes shared, not rebuilt").isSameAs(first.result().routes());
        assertThat(ClusterGateway.touched(first.result(), next.result())).as("what the gateway is told to visit")
                .containsExactly("app7." + NS);
        first.result().services().forEach((name, config) -> {
            if (!name.equals("app7." + NS)) {
                assertThat(next.result().services().get(name)).as(name).isSameAs(config);
            }
        });
    }

    @Test
    void oneServiceChangeBuildsOneServiceAndSharesTheRoutes() {
        ServiceMapBuilder.Build first = state.build();
        long built = builder.backendsBuilt();

        state.putService(written(front("app9", Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue",
                "teal.dev/drain-timeout", "5s"))));
        ServiceMapBuilder.Build next = state.build();

        assertThat(builder.backendsBuilt() - built).isEqualTo(1);
        assertThat(next.result().routes()).isSameAs(first.result().routes());
        assertThat(next.result().services().get("app9." + NS).drainTimeout()).hasSeconds(5);
    }

    /** {@code s} as the API server hands it after a write: with a new resourceVersion. */
    static Service written(Service s) {
        s.getMetadata().setResourceVersion("8");
        return s;
    }

    @Test
    void theSameObjectAgainChangesNothing() {
        ServiceMapBuilder.Build first = state.build();
        long built = builder.backendsBuilt();
        long visited = builder.pathsVisited();

        // as informers hand them after a relist (or the mock's watch start): equal copies, same resourceVersion
        state.putService(front("app3", Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue")));
        ingresses.get(3).getMetadata().setResourceVersion("4");
        Ingress copy = ingress("app3", "teal", "app3.example.com", "app3");
        copy.getMetadata().setResourceVersion("4");
        state.putIngress(copy);
        EndpointSlice again = slice("app3-blue", "app3-blue-x", 9000, List.of("10.0.0.3"), List.of());
        again.getMetadata().setResourceVersion("5");
        slices.get(3).getMetadata().setResourceVersion("5");
        state.putSlice(slices.get(3)); // the very object held, now with a version
        state.putSlice(again);

        assertThat(state.build()).isSameAs(first);
        assertThat(builder.backendsBuilt() - built).isZero();
        assertThat(builder.pathsVisited() - visited).isZero();
        assertThat(state.ingresses()).as("the new copy is held, the old one let go").anyMatch(x -> x == copy)
                .noneMatch(x -> x == ingresses.get(3));
    }

    @Test
    void anEqualCopyWithANewVersionIsBuiltAgain() {
        ServiceMapBuilder.Build first = state.build();
        long built = builder.backendsBuilt();

        EndpointSlice moved = slice("app3-blue", "app3-blue-x", 9000, List.of("10.7.7.7"), List.of());
        moved.getMetadata().setResourceVersion("6");
        state.putSlice(moved);

        ServiceMapBuilder.Build next = state.build();
        assertThat(builder.backendsBuilt() - built).isEqualTo(1);
        assertThat(next.result().services().get("app3." + NS).colors().get("blue"))
                .containsExactly(new HostPort("10.7.7.7", 9000));
        assertThat(first.result().services().get("app3." + NS).colors().get("blue"))
                .containsExactly(new HostPort("10.0.0.3", 9000));
    }

    @Test
    void nothingChangedGivesTheLastBuildItself() {
        ServiceMapBuilder.Build first = state.build();
        long built = builder.backendsBuilt();

        assertThat(state.build()).isSameAs(first);
        assertThat(builder.backendsBuilt()).isEqualTo(built);
    }

    @Test
    void afterChangesTheResultIsTheFullBuildsResult() {
        ServiceMapBuilder.Result first = state.build().result();
        // a color appears, a slice moves to another owner, a service and its Ingress go, a front stops being one
        EndpointSlice green = slice("app3-green", "app3-green-x", 9100, List.of("10.1.0.3"), List.of());
        state.putSlice(green);
        slices.add(green);
        state.build();
        EndpointSlice moved = slice("app4-blue", "app5-blue-x", 9000, List.of("10.2.0.5"), List.of());
        state.putSlice(moved);
        slices.set(5, moved);
        state.removeService(NS + "/app6");
        services.remove(6);
        state.removeIngress(NS + "/app6");
        ingresses.remove(6);
        state.build();
        Service plain = written(front("app8", Map.of()));
        state.putService(plain);
        services.set(7, plain); // index 7 is app8 after the removal above
        state.removeSlice(NS + "/app10-blue-x");
        slices.remove(10);

        ServiceMapBuilder.Result incremental = state.build().result();
        ServiceMapBuilder.Result full = new ServiceMapBuilder("teal", w -> { })
                .build(ingresses, services, slices, false).result();

        assertThat(incremental).isEqualTo(full);
        assertThat(ClusterGateway.touched(first, incremental)).as("services removed: the gateway visits all").isNull();
        assertThat(incremental.services().get("app3." + NS).colors()).containsOnlyKeys("blue", "green");
        assertThat(incremental.services().get("app4." + NS).colors().get("blue")).hasSize(2);
        assertThat(incremental.services().get("app5." + NS).colors().get("blue")).isEmpty();
        assertThat(incremental.services()).doesNotContainKey("app6." + NS);
    }
}
