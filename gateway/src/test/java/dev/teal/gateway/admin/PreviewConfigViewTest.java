package dev.teal.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.config.ConfigParser;
import dev.teal.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code /config} shows preview and sticky so that what it shows parses back into the running configuration. */
class PreviewConfigViewTest {
    @Test
    void previewAndStickyParseBackFromTheConfigView() {
        GatewayConfig c = ConfigParser.parse("""
                services:
                  shop:
                    hosts: [shop.example.com]
                    active: blue
                    sticky: true
                    preview: {header: X-Preview, cookie: pv, from: [10.0.0.0/8, trustedProxies]}
                    colors: {blue: ['127.0.0.1:9001'], green: ['127.0.0.1:9002']}
                  cart:
                    hosts: [cart.example.com]
                    active: blue
                    preview: true
                    colors: {blue: ['127.0.0.1:9003']}
                  plain:
                    active: blue
                    colors: {blue: ['127.0.0.1:9004']}
                """);
        String shown = JsonMapper.builder().build().writeValueAsString(OperatorViews.config(c, "test").get("config"));
        assertThat(ConfigParser.parse(shown)).isEqualTo(c);
        assertThat(shown).contains("\"preview\":false", "\"sticky\":false", "\"header\":\"x-preview\"");
    }
}
