package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.NS;
import static dev.teal.gateway.testing.ClusterObjects.front;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a gateway keeps of each watched object: a real informer against the API emulation, with the store the gateway
 * uses, drops managed fields and the last-applied annotation (most of an object's size in clusters managed by
 * {@code kubectl apply} or server-side apply) and keeps everything routing reads, across adds and updates.
 */
class TrimmedItemStoreTest {

    @Test
    void watchedObjectsAreKeptWithoutManagedFieldsOrLastAppliedButWithEverythingElse() {
        try (RestartableApiServer api = new RestartableApiServer()) {
            api.start();
            KubernetesClient client = api.client();
            client.services().inNamespace(NS).resource(bloated(front("shop", Map.of("teal.dev/active", "blue",
                    "teal.dev/max-inflight", "7")), "v1")).create();

            SharedIndexInformer<Service> informer = client.services().inNamespace(NS).runnableInformer(0)
                    .itemStore(new TrimmedItemStore<>());
            informer.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> informer.getStore().getByKey(NS + "/shop") != null);
                assertTrimmed(informer.getStore().getByKey(NS + "/shop"), "blue");

                Service changed = client.services().inNamespace(NS).withName("shop").get();
                changed.getMetadata().getAnnotations().put("teal.dev/active", "green");
                client.services().inNamespace(NS).resource(bloated(changed, "v2")).update();
                await().atMost(Duration.ofSeconds(10)).until(() -> "green".equals(informer.getStore()
                        .getByKey(NS + "/shop").getMetadata().getAnnotations().get("teal.dev/active")));
                assertTrimmed(informer.getStore().getByKey(NS + "/shop"), "green");
            } finally {
                informer.stop();
            }
        }
    }

    private static void assertTrimmed(Service kept, String active) {
        assertThat(kept.getMetadata().getManagedFields()).as("managed fields").isNullOrEmpty();
        assertThat(kept.getMetadata().getAnnotations())
                .doesNotContainKey(TrimmedItemStore.LAST_APPLIED)
                .containsEntry("teal.dev/active", active)
                .containsEntry("teal.dev/max-inflight", "7");
        assertThat(kept.getSpec().getSelector()).as("spec kept").isNotEmpty();
    }

    /** {@code service} as a real cluster returns it: with managed fields and a last-applied copy of itself. */
    private static Service bloated(Service service, String generation) {
        return new ServiceBuilder(service).editMetadata()
                .addToAnnotations(TrimmedItemStore.LAST_APPLIED, "{\"apiVersion\":\"v1\",\"kind\":\"Service\","
                        + "\"metadata\":{\"name\":\"shop\"},\"spec\":{\"note\":\"" + "x".repeat(4096) + "\"}}")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl-client-side-apply")
                        .withOperation("Update").withApiVersion("v1").withTime(generation).build())
                .endMetadata().build();
    }
}
