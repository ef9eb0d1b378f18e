package dev.teal.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Before a switch publishes, the new color's connections are opened on each event loop (as many as the old color used
 * there), so the first requests after the switch find a pooled connection. Forced switches skip the warm-up.
 */
class SwitchWarmUpTest {
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = GatewayFixture.blueGreen("");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void switchOpensTheNewColorsConnectionsBeforeItsFirstRequest() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop").text()).isEqualTo("blue\n");
            assertThat(f.backend("green").connectionsOpened()).isZero();
            assertThat(f.switchTo("shop", "green").statusCode()).isEqualTo(200);
            // the gate's probe (opened and closed at once) and then the warm connection, which stays open
            await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("green").connectionsOpened() >= 2
                    && f.backend("green").openConnections() == 1);
            long requestsBefore = f.backend("green").requests();
            assertThat(requestsBefore).as("the warm-up sends no request").isZero();
            long opened = f.backend("green").connectionsOpened();
            assertThat(c.get("/", "shop").text()).isEqualTo("green\n");
            assertThat(f.backend("green").connectionsOpened()).as("the first request reused a warm connection")
                    .isEqualTo(opened);
        }
    }

    @Test
    void forcedSwitchSkipsTheWarmUp() throws Exception {
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            assertThat(c.get("/", "shop").text()).isEqualTo("blue\n");
            assertThat(f.adminPost("/services/shop/switch?to=green&force=true").statusCode()).isEqualTo(200);
            // (the forced switch still probes green once, to answer 503 at once if nothing accepts)
            await().atMost(Duration.ofSeconds(5)).until(() -> f.backend("green").connectionsOpened() >= 1
                    && f.backend("green").openConnections() == 0);
            long opened = f.backend("green").connectionsOpened();
            assertThat(c.get("/", "shop").text()).isEqualTo("green\n");
            assertThat(f.backend("green").connectionsOpened()).as("no warm connection: the request opened one")
                    .isEqualTo(opened + 1);
        }
    }
}
