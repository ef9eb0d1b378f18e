package dev.teal.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What {@code /metrics} costs per service with each option: 100 services named like {@code svc-042} (two colors, two
 * endpoints each), one request to each (so each has one latency histogram), then the scrape's size against a gateway with no service. The figures go into the README.
 */
class MetricsCostPerServiceTest {
    static final int SERVICES = 100;

    @Test
    void defaultScrapeStaysUnderOneKilobytePerServiceAndEachOptionAddsItsSeries() throws Exception {
        Cost plain = cost("");
        Cost endpoints = cost("metrics: {endpointSeries: true}");
        Cost connections = cost("metrics: {connectionSeries: true}");
        Cost fine = cost("metrics: {fineLatencyBuckets: true}");
        Cost all = cost("metrics: {endpointSeries: true, connectionSeries: true, fineLatencyBuckets: true}");
        System.out.printf("bench: /metrics bytes per service at %d services (2 colors x 2 endpoints, 1 request each):"
                        + " default %d (total %d), endpointSeries %d, connectionSeries %d, fineLatencyBuckets %d,"
                        + " all three %d (total %d)%n", SERVICES, plain.perService(), plain.total(),
                endpoints.perService(), connections.perService(), fine.perService(), all.perService(), all.total());

        assertThat(plain.perService()).as("default bytes per service").isLessThanOrEqualTo(1024);
        assertThat(plain.text()).contains("teal_requests_seconds_bucket{color=\"blue\",service=\"svc-042\",status=\"2xx\",le=\"0.1\",} 1.0")
                .contains("teal_serving_color{color=\"green\",service=\"svc-042\",} 0.0")
                .contains("teal_inflight_requests{color=\"green\",service=\"svc-042\",} 0.0")
                .doesNotContain("teal_upstream_health{").doesNotContain("teal_upstream_connections{")
                .doesNotContain("teal_requests_seconds_max").doesNotContain("le=\"0.001\"")
                .doesNotContain("status=\"5xx\"").doesNotContain("teal_upstream_errors_total{");
        assertThat(endpoints.text()).contains("teal_upstream_health{color=\"green\",endpoint=");
        assertThat(connections.text()).contains("teal_upstream_connections{color=\"green\",service=\"svc-042\",state=\"idle\",}");
        assertThat(fine.text()).contains("le=\"0.001\"").contains("teal_requests_seconds_max{")
                .doesNotContain("teal_upstream_health{");
        for (Cost option : new Cost[] {endpoints, connections, fine}) {
            assertThat(option.perService()).isGreaterThan(plain.perService());
            assertThat(all.perService()).isGreaterThan(option.perService());
        }
    }

    record Cost(int total, int perService, String text) {
    }

    private static Cost cost(String metricsYaml) throws Exception {
        int empty;
        try (GatewayFixture f = new GatewayFixture()) {
            f.start("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\n" + metricsYaml + "\nservices: {}\n");
            empty = scrape(f).getBytes(StandardCharsets.UTF_8).length;
        }
        try (GatewayFixture f = new GatewayFixture()) {
            for (String b : new String[] {"b1", "b2", "g1", "g2"}) {
                f.backend(b, b.startsWith("b") ? "blue" : "green");
            }
            StringBuilder y = new StringBuilder("listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\n" + metricsYaml
                    + "\nservices:\n");
            for (int i = 0; i < SERVICES; i++) {
                String name = "svc-%03d".formatted(i);
                y.append("  ").append(name).append(":\n    hosts: [").append(name).append(".example.com]\n")
                        .append("    active: blue\n    colors:\n      blue: [${b1}, ${b2}]\n")
                        .append("      green: [${g1}, ${g2}]\n");
            }
            f.start(y.toString());
            try (RawClient c = new RawClient(f.gateway().proxyPort())) {
                for (int i = 0; i < SERVICES; i++) {
                    assertThat(c.get("/", "svc-%03d.example.com".formatted(i)).status()).isEqualTo(200);
                }
            }
            String text = scrape(f);
            int total = text.getBytes(StandardCharsets.UTF_8).length;
            return new Cost(total, (total - empty) / SERVICES, text);
        }
    }

    private static String scrape(GatewayFixture f) throws Exception {
        var r = f.adminGet("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
