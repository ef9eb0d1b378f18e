package dev.teal.gateway.discovery;

/**
 * Names the gateway and the controller share in Kubernetes mode: annotations on the front Service, the per-color
 * Service name and the service key in {@code /status}. Kept in one place so both sides agree.
 */
public final class ClusterNames {
    public static final String ANNOTATION_PREFIX = "teal.dev/";
    /** The color the user wants (written by the user; gateways never route by it). */
    public static final String ACTIVE = ANNOTATION_PREFIX + "active";
    /** The color gateways route to (written by the controller only). */
    public static final String SERVING = ANNOTATION_PREFIX + "serving";
    /** The controller's short JSON status. */
    public static final String STATUS = ANNOTATION_PREFIX + "status";
    public static final String DRAIN_TIMEOUT = ANNOTATION_PREFIX + "drain-timeout";
    /** Label EndpointSlices carry with the name of their Service. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String DEFAULT_INGRESS_CLASS = "teal";
    /** On an IngressClass: Ingresses without a class belong to it. */
    public static final String DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

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
