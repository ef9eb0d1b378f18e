package dev.teal.controller.cluster;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.gateway.testing.ClusterObjects;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ClusterClientTest {
    KubernetesClient client;

    @Test
    void annotationWriteBasedOnAStaleReadIsAConflict() {
        ClusterClient cluster = new ClusterClient(client, Clock.systemUTC(), "test");
        Service read = ClusterObjects.front(client, "shop", Map.of("teal.dev/active", "blue"));
        client.services().inNamespace(NS).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("teal.dev/active", "green"); // the user, meanwhile
            return s;
        });

        assertThatThrownBy(() -> cluster.patchAnnotations(read, Map.of("teal.dev/serving", "blue")))
                .isInstanceOf(ConflictException.class);
        assertThat(client.services().inNamespace(NS).withName("shop").get().getMetadata().getAnnotations())
                .doesNotContainKey("teal.dev/serving");

        Service fresh = client.services().inNamespace(NS).withName("shop").get();
        cluster.patchAnnotations(fresh, Map.of("teal.dev/serving", "blue"));
        assertThat(client.services().inNamespace(NS).withName("shop").get().getMetadata().getAnnotations())
                .containsEntry("teal.dev/serving", "blue").containsEntry("teal.dev/active", "green");
    }

    @Test
    void readyEndpointsCountOnlyReadyAddressesOfTheNamedService() {
        ClusterClient cluster = new ClusterClient(client, Clock.systemUTC(), "test");
        ClusterObjects.slice(client, NS, "shop-green", "a", 8080, "http", List.of("10.0.0.1", "10.0.0.2"),
                List.of("10.0.0.3"));
        ClusterObjects.slice(client, NS, "shop-green", "b", 8080, "http", List.of("10.0.0.2", "10.0.0.4"), List.of());
        ClusterObjects.slice(client, NS, "shop-greenish", "c", 8080, "http", List.of("10.0.9.9"), List.of());

        assertThat(cluster.readyEndpoints(NS, "shop-green")).isEqualTo(3);
        assertThat(cluster.readyEndpoints(NS, "shop-blue")).isZero();
    }
}
