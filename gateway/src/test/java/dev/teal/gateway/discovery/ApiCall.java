package dev.teal.gateway.discovery;

/**
 * One request the mock API server received, as an authorizer sees it before any RBAC mapping: who sent it (the
 * bearer token of the client, {@code "anonymous"} without one), the HTTP method, the path and the raw query
 * ({@code ""} when there is none).
 */
public record ApiCall(String identity, String method, String path, String query) {
    @Override
    public String toString() {
        return identity + " " + method + " " + path + (query.isEmpty() ? "" : "?" + query);
    }
}
