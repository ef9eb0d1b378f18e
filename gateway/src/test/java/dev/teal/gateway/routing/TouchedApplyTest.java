package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.contract.HostPort;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.config.ServiceConfig;
import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An apply told which services changed (Kubernetes mode after EndpointSlice changes) brings exactly those up to date,
 * through real requests, and leaves every other service's route, the numbering and the compiled table as they were.
 */
class TouchedApplyTest {
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
        f.backend("a", "a");
        f.backend("b", "b");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                services:
                  one:
                    hosts: [one.test]
                    active: blue
                    colors:
                      blue: [${a}]
                  two:
                    hosts: [two.test]
                    active: blue
                    colors:
                      blue: [${a}]
                """);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void onlyTheTouchedServiceMovesAndTheRestOfTheSnapshotIsShared() throws Exception {
        GatewayConfig running = f.gateway().config();
        RoutingSnapshot before = f.gateway().router().current();
        GatewayConfig next = running.withRouting(moved(running, "one", f.backend("b").address()), running.routes());

        f.gateway().apply(next, List.of("one"));

        RoutingSnapshot after = f.gateway().router().current();
        assertThat(after).isNotSameAs(before);
        assertThat(after.table()).as("compiled table kept").isSameAs(before.table());
        assertThat(after.index()).as("numbering kept").isSameAs(before.index());
        assertThat(after.service("two")).as("untouched route kept").isSameAs(before.service("two"));
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "one.test").text()).isEqualTo("b\n");
            assertThat(c.get("/", "two.test").text()).isEqualTo("a\n");
        }
        assertThat(f.gateway().config().services().get("one").colors().get("blue"))
                .containsExactly(HostPort.parse(f.backend("b").address()));
    }

    @Test
    void aHintThatDoesNotFitIsIgnoredAndEverythingIsCompared() throws Exception {
        GatewayConfig running = f.gateway().config();
        // "two" changed too, but the hint names only "one" and the routes object is another: the whole way is taken
        Map<String, ServiceConfig> services = moved(running, "one", f.backend("b").address());
        services.put("two", moved(running, "two", f.backend("b").address()).get("two"));
        GatewayConfig next = running.withRouting(services,
                new dev.teal.gateway.config.Routes(running.routes().rules(), running.routes().defaultService(),
                        running.routes().sslRedirectHosts()));

        f.gateway().apply(next, List.of("one"));

        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "one.test").text()).isEqualTo("b\n");
            assertThat(c.get("/", "two.test").text()).isEqualTo("b\n");
        }
    }

    private static Map<String, ServiceConfig> moved(GatewayConfig running, String name, String address) {
        Map<String, ServiceConfig> services = new LinkedHashMap<>(running.services());
        ServiceConfig s = services.get(name);
        services.put(name, new ServiceConfig(s.name(), s.hosts(), s.active(), s.drainTimeout(), s.maxBodySize(),
                s.maxInflight(), s.healthCheck(), Map.of("blue", List.of(HostPort.parse(address))), s.protocol(),
                s.preview(), s.sticky(), s.guard()));
        return services;
    }
}
