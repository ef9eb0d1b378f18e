package dev.teal.contract.status;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The one mapper both sides use for the {@code /status} document: unknown fields are ignored on reading. */
public final class StatusJson {
    /** Thread-safe; shared. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StatusJson() {
    }

    public static String write(StatusDocument document) {
        return MAPPER.writeValueAsString(document);
    }

    /**
     * @throws tools.jackson.core.JacksonException when the text is not such a document
     */
    public static StatusDocument read(String json) {
        return MAPPER.readValue(json, StatusDocument.class);
    }
}
