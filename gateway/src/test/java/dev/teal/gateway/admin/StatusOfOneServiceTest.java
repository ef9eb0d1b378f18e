package dev.teal.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.testing.GatewayFixture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /status?service=NAME}: the part of {@code /status} the controller needs to confirm one cutover. */
class StatusOfOneServiceTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.backend("green", "green");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                services:
                  shop:
                    hosts: [shop.example.com]
                    active: blue
                    colors:
                      blue:  [${blue}]
                      green: [${green}]
                  cart:
                    hosts: [cart.example.com]
                    active: green
                    colors:
                      blue:  [${blue}]
                      green: [${green}]
                """);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void statusOfOneServiceHoldsThatServiceOnlyInTheSameShape() throws Exception {
        f.switchTo("shop", "green");
        HttpResponse<String> r = f.adminGet("/status?service=shop");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode one = JSON.readTree(r.body());
        JsonNode all = JSON.readTree(f.adminGet("/status").body());

        assertThat(one.get("services").propertyNames()).containsExactly("shop");
        assertThat(all.get("services").propertyNames()).containsExactlyInAnyOrder("shop", "cart");
        assertThat(one.get("ready").asBoolean()).isTrue();
        assertThat(one.get("mode").asString()).isEqualTo("file");
        JsonNode shop = one.get("services").get("shop");
        assertThat(shop.get("serving").asString()).isEqualTo("green");
        assertThat(shop.get("switches").asLong()).isEqualTo(1);
        assertThat(shop.has("drain")).isTrue();
        assertThat(shop.get("colors").propertyNames()).containsExactlyInAnyOrder("blue", "green");
        assertThat(shop.get("colors").get("green").get("endpoints").get(0).get("address").asString())
                .isEqualTo(f.backend("green").address());
        assertThat(JSON.readTree(f.adminGet("/status?service=cart").body()).get("services").get("cart")
                .get("serving").asString()).isEqualTo("green");
    }

    @Test
    void statusOfAnUnknownServiceIs404JsonAndAnEmptyNameIs400() throws Exception {
        HttpResponse<String> unknown = f.adminGet("/status?service=nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(JSON.readTree(unknown.body()).get("error").asString()).isEqualTo("unknown service 'nope'");

        HttpResponse<String> empty = f.adminGet("/status?service=");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).get("error").asString()).contains("?service=NAME");
        assertThat(f.adminGet("/status?service=shop&service=cart").statusCode()).isEqualTo(400);
        assertThat(f.adminPost("/status?service=shop").statusCode()).isEqualTo(405);
    }
}
