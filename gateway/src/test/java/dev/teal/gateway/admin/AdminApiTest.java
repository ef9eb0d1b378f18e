package dev.teal.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.testing.GatewayFixture;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AdminApiTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = GatewayFixture.blueGreen("healthCheck: {path: /healthz, interval: 100ms, timeout: 500ms, unhealthyThreshold: 1}");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void switchAnswers200WithFromToAndTime() throws Exception {
        HttpResponse<String> r = f.switchTo("shop", "green");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode n = JSON.readTree(r.body());
        assertThat(n.get("from").asString()).isEqualTo("blue");
        assertThat(n.get("to").asString()).isEqualTo("green");
        assertThat(n.get("switchedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(n.get("switches").asLong()).isEqualTo(1);
    }

    @Test
    void unknownServiceIs404AndUnknownColorIs400() throws Exception {
        assertThat(f.switchTo("nope", "green").statusCode()).isEqualTo(404);
        HttpResponse<String> r = f.switchTo("shop", "purple");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("no color 'purple'");
        assertThat(f.adminPost("/services/shop/switch").statusCode()).isEqualTo(400);
        assertThat(f.adminGet("/services/shop/switch?to=green").statusCode()).isEqualTo(405);
        assertThat(f.adminGet("/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void switchToColorWithoutHealthyEndpointIs409UnlessForced() throws Exception {
        f.backend("green").setHealthy(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> f.adminGet("/status").body().contains("\"healthy\":false"));
        HttpResponse<String> refused = f.switchTo("shop", "green");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("force=true");
        assertThat(f.get("/").body()).isEqualTo("blue\n"); // nothing changed
        assertThat(f.gateway().metrics().scrape())
                .contains("teal_cutovers_total{from=\"blue\",result=\"refused\",service=\"shop\",to=\"green\",} 1.0");
        assertThat(f.adminPost("/services/shop/switch?to=green&force=true").statusCode()).isEqualTo(200);
        assertThat(f.get("/").statusCode()).isEqualTo(503); // forced onto a color with no healthy endpoint
    }

    @Test
    void statusShowsServingColorEndpointsAndDrain() throws Exception {
        f.get("/");
        JsonNode n = JSON.readTree(f.adminGet("/status").body());
        assertThat(n.get("ready").asBoolean()).isTrue();
        JsonNode shop = n.get("services").get("shop");
        assertThat(shop.get("serving").asString()).isEqualTo("blue");
        assertThat(shop.get("servingSince").asString()).isNotEmpty();
        assertThat(shop.get("drain").isNull()).isTrue();
        JsonNode blue = shop.get("colors").get("blue");
        assertThat(blue.get("endpoints").get(0).get("address").asString()).isEqualTo(f.backend("blue").address());
        assertThat(blue.get("endpoints").get(0).get("healthy").asBoolean()).isTrue();
        assertThat(blue.get("connections").get("idle").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(blue.get("inflight").asInt()).isZero();
    }

    @Test
    void healthAndReadinessAnswer() throws Exception {
        assertThat(f.adminGet("/healthz").statusCode()).isEqualTo(200);
        assertThat(f.adminGet("/readyz").statusCode()).isEqualTo(200);
        f.gateway().setReady(false);
        assertThat(f.adminGet("/readyz").statusCode()).isEqualTo(503);
    }

    @Test
    void adminIsNotReachableThroughTheProxyPort() throws Exception {
        HttpResponse<String> r = f.http().send(HttpRequest.newBuilder(f.url("/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("blue\n"); // proxied to the backend, not answered by the admin API
    }
}
