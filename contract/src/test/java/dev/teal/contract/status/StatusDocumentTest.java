package dev.teal.contract.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

class StatusDocumentTest {
    private static final Instant SINCE = Instant.parse("2026-11-29T06:50:17.123456Z");

    private static ServiceStatus shop(String configActive, DrainStatus drain, Map<String, Object> extras) {
        Map<String, ColorStatus> colors = new LinkedHashMap<>();
        colors.put("blue", new ColorStatus("draining", 1, List.of(new EndpointStatus("127.0.0.1:9001", true, false, 1)),
                new ColorStatus.Connections(1, 0)));
        colors.put("green", new ColorStatus("serving", 0, List.of(new EndpointStatus("127.0.0.1:9101", true, false, 0),
                new EndpointStatus("127.0.0.1:9102", false, false, 0), new EndpointStatus("127.0.0.1:9103", true, true, 0)),
                new ColorStatus.Connections(0, 2)));
        return new ServiceStatus("green", SINCE, "admin", configActive, 3, 1, colors, null, drain,
                new LastDrainStatus("green", "drained", SINCE, SINCE.plusSeconds(1), 0), extras);
    }

    @Test
    void writesTheDocumentWithTheFieldNamesAndOrderTheReadmeShows() {
        StatusDocument doc = new StatusDocument(true, "standalone", Map.of("shop", shop("blue",
                new DrainStatus("blue", SINCE, SINCE.plusSeconds(30), 1, 1), new LinkedHashMap<>())));

        assertThat(StatusJson.write(doc)).isEqualTo("{\"ready\":true,\"mode\":\"standalone\",\"services\":{\"shop\":{"
                + "\"serving\":\"green\",\"servingSince\":\"2026-11-29T06:50:17.123456Z\",\"source\":\"admin\","
                + "\"configActive\":\"blue\",\"switches\":3,\"inflight\":1,\"colors\":{"
                + "\"blue\":{\"state\":\"draining\",\"inflight\":1,\"endpoints\":[{\"address\":\"127.0.0.1:9001\","
                + "\"healthy\":true,\"ejected\":false,\"inflight\":1}],\"connections\":{\"active\":1,\"idle\":0}},"
                + "\"green\":{\"state\":\"serving\",\"inflight\":0,\"endpoints\":["
                + "{\"address\":\"127.0.0.1:9101\",\"healthy\":true,\"ejected\":false,\"inflight\":0},"
                + "{\"address\":\"127.0.0.1:9102\",\"healthy\":false,\"ejected\":false,\"inflight\":0},"
                + "{\"address\":\"127.0.0.1:9103\",\"healthy\":true,\"ejected\":true,\"inflight\":0}],"
                + "\"connections\":{\"active\":0,\"idle\":2}}},"
                + "\"refusedSwitch\":null,"
                + "\"drain\":{\"color\":\"blue\",\"startedAt\":\"2026-11-29T06:50:17.123456Z\","
                + "\"deadline\":\"2026-11-29T06:50:47.123456Z\",\"inflight\":1,\"connections\":1},"
                + "\"lastDrain\":{\"color\":\"green\",\"result\":\"drained\",\"startedAt\":\"2026-11-29T06:50:17.123456Z\","
                + "\"endedAt\":\"2026-11-29T06:50:18.123456Z\",\"closed\":0}}}}");
    }

    @Test
    void configActiveIsLeftOutWhenTheFileAgreesAndModeExtrasComeLast() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("kubernetes", Map.of("namespace", "ns"));
        String json = StatusJson.write(new StatusDocument(true, "kubernetes", Map.of("shop.ns", shop(null, null, extras))));

        assertThat(json).doesNotContain("configActive").contains("\"drain\":null")
                .endsWith("\"closed\":0},\"kubernetes\":{\"namespace\":\"ns\"}}}}");
    }

    @Test
    void readsBackWhatItWritesIncludingExtras() {
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("kubernetes", Map.of("namespace", "ns"));
        StatusDocument doc = new StatusDocument(false, "kubernetes", Map.of("shop.ns", shop("blue",
                new DrainStatus("blue", SINCE, SINCE.plusSeconds(30), 1, 1), extras)));

        assertThat(StatusJson.read(StatusJson.write(doc))).isEqualTo(doc);
    }

    @Test
    void aReaderIgnoresFieldsItDoesNotKnowAndToleratesFieldsAnOlderGatewayLacks() {
        String newer = "{\"ready\":true,\"mode\":\"standalone\",\"future\":[1,2],\"services\":{\"shop\":{"
                + "\"serving\":\"green\",\"rollout\":\"canary\",\"colors\":{\"green\":{\"state\":\"serving\",\"weight\":7,"
                + "\"endpoints\":[{\"address\":\"a:1\",\"healthy\":true,\"zone\":\"x\"}]}},"
                + "\"drain\":{\"color\":\"blue\",\"phase\":\"closing\"}}}}";

        StatusDocument doc = StatusJson.read(newer);

        ServiceStatus shop = doc.service("shop");
        assertThat(shop.serving()).isEqualTo("green");
        assertThat(shop.drain().color()).isEqualTo("blue");
        assertThat(shop.color("green").usableEndpoints()).isEqualTo(1);
        assertThat(shop.configActive()).isNull();
        assertThat(shop.refusedSwitch()).isNull();
        assertThat(doc.service("cart")).isNull();
        assertThat(shop.extras()).as("service fields this reader does not name are kept as extras")
                .isEqualTo(Map.of("rollout", "canary"));
    }

    @Test
    void textThatIsNotADocumentIsRefused() {
        assertThatThrownBy(() -> StatusJson.read("not json")).isInstanceOf(JacksonException.class);
    }
}
