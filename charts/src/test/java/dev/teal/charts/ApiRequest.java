package dev.teal.charts;

import dev.teal.gateway.discovery.ApiCall;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A recorded API call as the Kubernetes authorizer sees it (the API server's {@code RequestInfo}): the verb
 * ({@code GET} of a name is get, of a collection list, with {@code watch=true} watch; {@code POST} create, {@code PUT}
 * update, {@code PATCH} patch, {@code DELETE} delete or deletecollection), the API group ({@code ""} for core), the
 * resource with its subresource ({@code deployments/scale}), the namespace ({@code null}: cluster-scoped) and the
 * name ({@code null}: none; a list or watch with the field selector {@code metadata.name=X} names X, as the real
 * authorizer reads it). A path that is not a resource ({@code /version}, {@code /apis}) has {@code nonResource} set.
 */
record ApiRequest(String verb, String group, String resource, String namespace, String name, String nonResource) {

    static ApiRequest of(ApiCall call) {
        List<String> parts = Arrays.stream(call.path().split("/")).filter(s -> !s.isEmpty()).toList();
        int start;
        String group;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            start = 2;
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            start = 3;
        } else {
            return new ApiRequest(call.method().toLowerCase(java.util.Locale.ROOT), null, null, null, null,
                    call.path());
        }
        List<String> rest = parts.subList(start, parts.size());
        if (rest.isEmpty()) {
            return new ApiRequest(call.method().toLowerCase(java.util.Locale.ROOT), null, null, null, null,
                    call.path());
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : null;
        if (rest.size() >= 3) {
            resource = resource + "/" + String.join("/", rest.subList(2, rest.size()));
        }
        boolean watch = query(call, "watch").map(v -> v.equals("true") || v.equals("1")).orElse(false);
        String verb = switch (call.method()) {
            case "GET", "HEAD" -> name != null ? (watch ? "watch" : "get") : (watch ? "watch" : "list");
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> call.method().toLowerCase(java.util.Locale.ROOT);
        };
        if (name == null && (verb.equals("list") || verb.equals("watch"))) {
            name = query(call, "fieldSelector").map(ApiRequest::nameFromFieldSelector).orElse(null);
        }
        return new ApiRequest(verb, group, resource, namespace, name, null);
    }

    private static java.util.Optional<String> query(ApiCall call, String key) {
        for (String pair : call.query().split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(key)) {
                return java.util.Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
        }
        return java.util.Optional.empty();
    }

    /** {@code metadata.name=X} (alone or among other selectors) names X; anything else names nothing. */
    private static String nameFromFieldSelector(String selector) {
        for (String term : selector.split(",")) {
            String t = term.trim();
            if (t.startsWith("metadata.name=") && !t.startsWith("metadata.name==")) {
                return t.substring("metadata.name=".length());
            }
            if (t.startsWith("metadata.name==")) {
                return t.substring("metadata.name==".length());
            }
        }
        return null;
    }

    @Override
    public String toString() {
        if (nonResource != null) {
            return verb + " " + nonResource;
        }
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                + (name == null ? "" : "/" + name) + " in " + (namespace == null ? "(cluster)" : namespace);
    }
}
