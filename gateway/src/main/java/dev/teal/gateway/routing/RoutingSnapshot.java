package dev.teal.gateway.routing;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable: the compiled {@link RouteTable} and, per service, its route (the color that serves). Built off the event
 * loops, read by them. A switch replaces one service's route and shares the table: one new snapshot, one volatile
 * write.
 */
public final class RoutingSnapshot {
    public static final RoutingSnapshot EMPTY = new RoutingSnapshot(RouteTable.EMPTY, List.of());

    private final RouteTable table;
    private final ServiceRoute[] routes;
    private final Map<String, Integer> index;
    private final List<ServiceRoute> view;

    /** @param routes the services in the order the table numbers them */
    RoutingSnapshot(RouteTable table, List<ServiceRoute> routes) {
        this(table, routes.toArray(ServiceRoute[]::new), indexOf(routes));
    }

    /** @param index {@link #indexOf} of {@code routes}, computed already */
    RoutingSnapshot(RouteTable table, List<ServiceRoute> routes, Map<String, Integer> index) {
        this(table, routes.toArray(ServiceRoute[]::new), index);
    }

    private RoutingSnapshot(RouteTable table, ServiceRoute[] routes, Map<String, Integer> index) {
        this.table = table;
        this.routes = routes;
        this.index = index;
        this.view = Collections.unmodifiableList(Arrays.asList(routes));
    }

    static Map<String, Integer> indexOf(List<ServiceRoute> routes) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < routes.size(); i++) {
            m.put(routes.get(i).service().name(), i);
        }
        return Map.copyOf(m);
    }

    /**
     * The route for a request (see {@link RouteTable} for the rules), or null: no rule matches and there is no default
     * service.
     *
     * @param hostHeader the Host header, or null
     * @param uri        the request target
     */
    public ServiceRoute route(String hostHeader, String uri) {
        int i = table.match(hostHeader, uri);
        return i < 0 ? null : routes[i];
    }

    /** The route for a request to {@code /} of a host (callers that route by host only). */
    public ServiceRoute route(String hostHeader) {
        return route(hostHeader, "/");
    }

    public ServiceRoute service(String name) {
        Integer i = index.get(name);
        return i == null ? null : routes[i];
    }

    public Collection<ServiceRoute> services() {
        return view;
    }

    /** How many route rules the table holds. */
    public int ruleCount() {
        return table.size();
    }

    /** The compiled table, to share with the next snapshot when neither the routes nor the numbering changed. */
    RouteTable table() {
        return table;
    }

    /** Service name to its number in the table. */
    Map<String, Integer> index() {
        return index;
    }

    RoutingSnapshot with(ServiceRoute changed) {
        Integer i = index.get(changed.service().name());
        if (i == null) {
            throw new IllegalArgumentException("no service " + changed.service().name());
        }
        ServiceRoute[] copy = routes.clone();
        copy[i] = changed;
        return new RoutingSnapshot(table, copy, index);
    }
}
