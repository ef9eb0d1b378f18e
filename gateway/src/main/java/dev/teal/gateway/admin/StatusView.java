package dev.teal.gateway.admin;

import dev.teal.contract.status.ColorStatus;
import dev.teal.contract.status.DrainStatus;
import dev.teal.contract.status.EndpointStatus;
import dev.teal.contract.status.LastDrainStatus;
import dev.teal.contract.status.RefusedSwitchStatus;
import dev.teal.contract.status.ServiceStatus;
import dev.teal.contract.status.StatusDocument;
import dev.teal.contract.status.StatusJson;
import dev.teal.contract.status.TlsStatus;
import dev.teal.gateway.drain.Drain;
import dev.teal.gateway.guard.GuardWindow;
import dev.teal.gateway.routing.RefusedSwitch;
import dev.teal.gateway.routing.RoutingSnapshot;
import dev.teal.gateway.routing.ServiceRoute;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/** Builds the {@code /status} document ({@link StatusDocument}, in the contract module; the controller reads it). */
final class StatusView {
    static final JsonMapper JSON = StatusJson.MAPPER;

    private StatusView() {
    }

    static StatusDocument of(RoutingSnapshot snapshot, boolean ready, String mode,
                             Function<String, Map<String, ?>> extras, TlsStatus tls) {
        Map<String, ServiceStatus> services = new LinkedHashMap<>();
        for (ServiceRoute route : snapshot.services()) {
            services.put(route.service().name(), service(route, extras));
        }
        return new StatusDocument(ready, mode, services, tls);
    }

    /**
     * The same document holding one service only ({@code GET /status?service=NAME}): what the controller asks for
     * when it confirms a cutover, so the answer stays small however many services the gateway routes.
     *
     * @return the document, or null when the gateway does not route {@code name}
     */
    static StatusDocument one(RoutingSnapshot snapshot, String name, boolean ready, String mode,
                              Function<String, Map<String, ?>> extras) {
        ServiceRoute route = snapshot.service(name);
        if (route == null) {
            return null;
        }
        return new StatusDocument(ready, mode, Map.of(name, service(route, extras)));
    }

    private static ServiceStatus service(ServiceRoute route, Function<String, Map<String, ?>> extras) {
        String name = route.service().name();
        String serving = route.serving().color();
        String fileActive = route.service().config().active();
        // an admin switch overrides the file until its active changes
        String configActive = fileActive.equals(serving) ? null : fileActive;
        Map<String, ColorStatus> colors = new LinkedHashMap<>();
        for (String color : route.service().config().colors().keySet()) {
            ColorPool pool = route.service().pools().get(color);
            if (pool != null) {
                colors.put(color, color(pool, route));
            }
        }
        RefusedSwitch refused = route.service().refused();
        Drain d = route.service().drains().current();
        Drain last = route.service().drains().last();
        Map<String, Object> more = new LinkedHashMap<>();
        Map<String, ?> given = extras.apply(name);
        if (given != null) {
            more.putAll(given);
        }
        if (d != null && d.sticky()) {
            // the version-sticky window: requests with the old color's cookie still go there until `until`
            Map<String, Object> sticky = new LinkedHashMap<>();
            sticky.put("color", d.color());
            sticky.put("until", d.deadline().toString());
            sticky.put("requests", d.stickyRequests());
            more.put("sticky", sticky);
        }
        return new ServiceStatus(serving, route.since(), route.service().servingSource(), configActive,
                route.service().switches(), route.service().inflight(), colors,
                refused == null ? null : new RefusedSwitchStatus(refused.to(), refused.reason(), refused.at()),
                d == null ? null : new DrainStatus(d.color(), d.startedAt(), d.deadline(), d.inflight(),
                        d.connections()),
                last == null ? null : new LastDrainStatus(last.color(), last.result().label(), last.startedAt(),
                        last.endedAt(), last.closed()),
                route.service().config().guard() == null ? null : route.service().guardStatus(), more);
    }

    private static ColorStatus color(ColorPool pool, ServiceRoute route) {
        int active = 0;
        int idle = 0;
        List<EndpointStatus> endpoints = new ArrayList<>();
        for (Endpoint e : pool.endpoints()) {
            active += e.activeConnections().get();
            idle += e.idleConnections().get();
            endpoints.add(new EndpointStatus(e.address().toString(), e.isHealthy(), e.isEjected(), e.inflight()));
        }
        GuardWindow w = route.service().config().guard() == null ? null : pool.window();
        return new ColorStatus(pool.state().name().toLowerCase(Locale.ROOT), pool.inflight(), endpoints,
                new ColorStatus.Connections(active, idle), w == null ? null : w.figures().toStatus(w.coveredSeconds()));
    }
}
