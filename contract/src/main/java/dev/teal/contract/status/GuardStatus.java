package dev.teal.contract.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A standalone gateway's guard of the last cutover of a service in {@code /status}.
 *
 * @param guard     the guard as written ({@code errors<1%, p99<500ms, window=30s, bake=2m, min-requests=200})
 * @param state     {@code baking} (watching the new color), {@code passed}, {@code rolled_back} or
 *                  {@code not_judged} (the bake ended with fewer requests than {@code min-requests}: neither
 *                  passed nor failed), or {@code superseded} (another switch came first)
 * @param from      the color served before the switch (what a rollback goes back to)
 * @param to        the color the switch went to (what the guard watches)
 * @param bakeUntil when the bake ends
 * @param figures   the last figures judged: requests, 5xx ratio and the guarded percentiles
 * @param breach    what breached, one line (only when rolled back)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuardStatus(String guard, String state, String from, String to, Instant switchedAt, Instant bakeUntil,
                          Instant decidedAt, String figures, String breach) {
}
