package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service in {@code /status}.
 *
 * @param serving       the color new requests go to
 * @param servingSince  when that color started serving
 * @param source        what chose it: {@code config}, {@code admin} or {@code kubernetes}
 * @param configActive  the file's {@code active} when an admin switch overrides it; absent otherwise
 * @param switches      switches since the gateway started
 * @param inflight      requests in flight for the service, every color
 * @param colors        per color, in the order configured
 * @param refusedSwitch the last switch refused for the service, or null
 * @param drain         the drain in progress, or null
 * @param lastDrain     the last drain that ended, or null
 * @param guard         standalone: the guard of the last cutover (baking, passed, rolled back, not judged); absent
 *                      for a service without a guard or before its first guarded switch
 * @param extras        fields a mode adds after these (Kubernetes mode: {@code kubernetes}, where the service came
 *                      from); on reading, every field not named above
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceStatus(String serving, Instant servingSince, String source,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String configActive, long switches,
                            int inflight, Map<String, ColorStatus> colors, RefusedSwitchStatus refusedSwitch,
                            DrainStatus drain, LastDrainStatus lastDrain,
                            @JsonInclude(JsonInclude.Include.NON_NULL) GuardStatus guard,
                            @JsonAnySetter @JsonAnyGetter Map<String, Object> extras) {

    /** A service without a guard verdict. */
    public ServiceStatus(String serving, Instant servingSince, String source, String configActive, long switches,
                         int inflight, Map<String, ColorStatus> colors, RefusedSwitchStatus refusedSwitch,
                         DrainStatus drain, LastDrainStatus lastDrain, Map<String, Object> extras) {
        this(serving, servingSince, source, configActive, switches, inflight, colors, refusedSwitch, drain, lastDrain,
                null, extras);
    }

    public ServiceStatus {
        colors = colors == null ? Map.of() : colors;
        extras = extras == null ? new LinkedHashMap<>() : extras;
    }

    /** The named color's part, or null when the service has no such color. */
    public ColorStatus color(String name) {
        return colors.get(name);
    }
}
