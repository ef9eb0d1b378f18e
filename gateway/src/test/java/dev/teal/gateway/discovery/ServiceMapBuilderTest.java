package dev.teal.gateway.discovery;

import static dev.teal.gateway.testing.ClusterObjects.front;
import static dev.teal.gateway.testing.ClusterObjects.ingress;
import static dev.teal.gateway.testing.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.Defaults;
import dev.teal.contract.HostPort;
import dev.teal.gateway.config.RouteRule;
import dev.teal.gateway.config.ServiceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceMapBuilderTest {
    final List<String> warnings = new ArrayList<>();
    final ServiceMapBuilder builder = new ServiceMapBuilder("teal", warnings::add);

    @Test
    void routesByServingAnnotationNeverByActive() {
        ServiceMapBuilder.Result r = builder.build(List.of(ingress("shop", "teal", "shop.example.com", "shop")),
                List.of(front("shop", Map.of("teal.dev/active", "green", "teal.dev/serving", "blue",
                        "teal.dev/drain-timeout", "45s"))),
                List.of(slice("shop-blue", "b1", 9001, List.of("10.0.1.1", "10.0.1.2"), List.of("10.0.1.3")),
                        slice("shop-green", "g1", 9101, List.of("10.0.2.1"), List.of())));

        ServiceConfig s = r.services().get("shop.shop-ns");
        assertThat(s.active()).isEqualTo("blue");
        assertThat(r.routes().rules()).containsExactly(RouteRule.wholeHost("shop.example.com", "shop.shop-ns"));
        assertThat(s.drainTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(s.colors()).containsOnlyKeys("blue", "green");
        assertThat(s.colors().get("blue")).as("only ready endpoints")
                .containsExactly(new HostPort("10.0.1.1", 9001), new HostPort("10.0.1.2", 9001));
        assertThat(s.colors().get("green")).containsExactly(new HostPort("10.0.2.1", 9101));
        assertThat(r.origins().get("shop.shop-ns"))
                .isEqualTo(new ServiceMapBuilder.Origin("shop-ns", "shop", "blue", "7"));
    }

    @Test
    void serviceWithoutServingOrWithoutTealIngressIsNotRouted() {
        ServiceMapBuilder.Result r = builder.build(
                List.of(ingress("a", "nginx", "a.example.com", "a"), ingress("b", "teal", "b.example.com", "b")),
                List.of(front("a", Map.of("teal.dev/active", "blue", "teal.dev/serving", "blue")),
                        front("b", Map.of("teal.dev/active", "blue"))),
                List.of(slice("a-blue", "a1", 9001, List.of("10.0.1.1"), List.of())));

        assertThat(r.services()).isEmpty();
    }

    @Test
    void ruleWithoutHostRoutesEveryHostAndColorsWithoutSlicesHaveNoEndpoints() {
        ServiceMapBuilder.Result r = builder.build(List.of(ingress("shop", "teal", null, "shop")),
                List.of(front("shop", Map.of("teal.dev/active", "green", "teal.dev/serving", "green",
                        "teal.dev/drain-timeout", "bogus"))),
                List.of());

        ServiceConfig s = r.services().get("shop.shop-ns");
        assertThat(r.routes().rules()).containsExactly(RouteRule.wholeHost(null, "shop.shop-ns"));
        assertThat(s.colors()).isEqualTo(Map.of("green", List.of()));
        assertThat(s.drainTimeout()).isEqualTo(Defaults.DRAIN_TIMEOUT);
    }

    @Test
    void sameRuleInTwoIngressesGoesToTheOlderAndTheOtherIsReported() {
        ServiceMapBuilder.Result r = builder.build(
                List.of(ingress("b-ing", "teal", "shop.example.com", "b"),
                        ingress("a-ing", "teal", "shop.example.com", "a")),
                List.of(front("a", Map.of("teal.dev/serving", "blue")), front("b", Map.of("teal.dev/serving", "blue"))),
                List.of());

        assertThat(r.services()).containsOnlyKeys("a.shop-ns");
        assertThat(warnings).singleElement().asString().contains("b-ing").contains("RuleConflict")
                .contains("Ingress shop-ns/a-ing (older)");
    }

    @Test
    void colorsOfOtherFrontServicesWithTheSamePrefixAreNotMixedIn() {
        ServiceMapBuilder.Result r = builder.build(
                List.of(ingress("shop", "teal", "shop.example.com", "shop"),
                        ingress("shop-api", "teal", "api.example.com", "shop-api")),
                List.of(front("shop", Map.of("teal.dev/serving", "blue")),
                        front("shop-api", Map.of("teal.dev/serving", "blue"))),
                List.of(slice("shop-blue", "s1", 9001, List.of("10.0.1.1"), List.of()),
                        slice("shop-api-blue", "s2", 9002, List.of("10.0.3.1"), List.of())));

        assertThat(r.services().get("shop.shop-ns").colors()).containsOnlyKeys("blue");
        assertThat(r.services().get("shop-api.shop-ns").colors().get("blue"))
                .containsExactly(new HostPort("10.0.3.1", 9002));
    }
}
