package dev.teal.contract;

/**
 * The object names gateway and controller derive in Kubernetes mode: the per-color Service of a front Service and
 * the service key in {@code /status}. Kept in one place so both sides agree; the annotation and label names are in
 * {@link Annotations}.
 */
public final class ClusterNames {

    private ClusterNames() {
    }

    /** The per-color Service of a front Service: {@code <front>-<color>}. */
    public static String colorService(String frontService, String color) {
        return frontService + "-" + color;
    }

    /** The service key gateways use in Kubernetes mode: {@code <service>.<namespace>}. */
    public static String serviceKey(String namespace, String frontService) {
        return frontService + "." + namespace;
    }
}
