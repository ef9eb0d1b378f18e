/**
 * The admin API on its own listener (never the proxy port): {@code /status}, {@code POST /services/{name}/switch},
 * {@code /metrics}, {@code /healthz}, {@code /readyz}. {@link dev.teal.gateway.admin.AdminHandler} maps paths to
 * calls on the {@link dev.teal.gateway.admin.AdminApi}; {@link dev.teal.gateway.admin.StatusView} builds the JSON.
 */
package dev.teal.gateway.admin;
