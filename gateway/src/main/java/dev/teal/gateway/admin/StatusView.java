package dev.teal.gateway.admin;

import dev.teal.gateway.drain.Drain;
import dev.teal.gateway.routing.RefusedSwitch;
import dev.teal.gateway.routing.RoutingSnapshot;
import dev.teal.gateway.routing.ServiceRoute;
import dev.teal.gateway.upstream.ColorPool;
import dev.teal.gateway.upstream.Endpoint;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds the {@code /status} document (its shape is fixed in docs/SEAMS.md; the controller reads it). */
final class StatusView {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private StatusView() {
    }

    static ObjectNode of(RoutingSnapshot snapshot, boolean ready, String mode,
                         Function<String, Map<String, ?>> extras) {
        ObjectNode root = head(ready, mode);
        ObjectNode services = root.putObject("services");
        for (ServiceRoute route : snapshot.services()) {
            service(services.putObject(route.service().name()), route, extras);
        }
        return root;
    }

    /**
     * The same document holding one service only ({@code GET /status?service=NAME}): what the controller asks for
     * when it confirms a cutover, so the answer stays small however many services the gateway routes.
     *
     * @return the document, or null when the gateway does not route {@code name}
     */
    static ObjectNode one(RoutingSnapshot snapshot, String name, boolean ready, String mode,
                          Function<String, Map<String, ?>> extras) {
        ServiceRoute route = snapshot.service(name);
        if (route == null) {
            return null;
        }
        ObjectNode root = head(ready, mode);
        service(root.putObject("services").putObject(name), route, extras);
        return root;
    }

    private static ObjectNode head(boolean ready, String mode) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ready", ready);
        root.put("mode", mode);
        return root;
    }

    private static void service(ObjectNode s, ServiceRoute route, Function<String, Map<String, ?>> extras) {
        String name = route.service().name();
        s.put("serving", route.serving().color());
        s.put("servingSince", route.since().toString());
        s.put("source", route.service().servingSource());
        String fileActive = route.service().config().active();
        if (!fileActive.equals(route.serving().color())) {
            s.put("configActive", fileActive); // an admin switch overrides the file until its active changes
        }
        s.put("switches", route.service().switches());
        s.put("inflight", route.service().inflight());
        ObjectNode colors = s.putObject("colors");
        for (String color : route.service().config().colors().keySet()) {
            ColorPool pool = route.service().pools().get(color);
            if (pool == null) {
                continue;
            }
            ObjectNode c = colors.putObject(color);
            c.put("state", pool.state().name().toLowerCase(java.util.Locale.ROOT));
            c.put("inflight", pool.inflight());
            int active = 0;
            int idle = 0;
            var eps = c.putArray("endpoints");
            for (Endpoint e : pool.endpoints()) {
                active += e.activeConnections().get();
                idle += e.idleConnections().get();
                ObjectNode en = eps.addObject();
                en.put("address", e.address().toString());
                en.put("healthy", e.isHealthy());
                en.put("ejected", e.isEjected());
                en.put("inflight", e.inflight());
            }
            ObjectNode conns = c.putObject("connections");
            conns.put("active", active);
            conns.put("idle", idle);
        }
        RefusedSwitch refused = route.service().refused();
        if (refused == null) {
            s.putNull("refusedSwitch");
        } else {
            ObjectNode rn = s.putObject("refusedSwitch");
            rn.put("to", refused.to());
            rn.put("reason", refused.reason());
            rn.put("at", refused.at().toString());
        }
        Drain d = route.service().drains().current();
        if (d == null) {
            s.putNull("drain");
        } else {
            ObjectNode dn = s.putObject("drain");
            dn.put("color", d.color());
            dn.put("startedAt", d.startedAt().toString());
            dn.put("deadline", d.deadline().toString());
            dn.put("inflight", d.inflight());
            dn.put("connections", d.connections());
        }
        Drain last = route.service().drains().last();
        if (last == null) {
            s.putNull("lastDrain");
        } else {
            ObjectNode ln = s.putObject("lastDrain");
            ln.put("color", last.color());
            ln.put("result", last.result().label());
            ln.put("startedAt", last.startedAt().toString());
            ln.put("endedAt", last.endedAt().toString());
            ln.put("closed", last.closed());
        }
        Map<String, ?> more = extras.apply(name);
        if (more != null) {
            more.forEach((k, v) -> s.set(k, JSON.valueToTree(v)));
        }
    }
}
