/**
 * Typed, immutable gateway configuration and the parser that builds it from YAML.
 *
 * <p>Start at {@link dev.teal.gateway.config.GatewayConfig}: everything downstream sees only these records,
 * never a raw string from the file. {@link dev.teal.gateway.config.ConfigParser} validates a whole document
 * and reports the first problem with its path ({@code services.shop.colors.blue[1]: ...});
 * {@link dev.teal.gateway.config.ConfigFileWatcher} re-reads a file when it is saved.
 * Kubernetes mode builds the same records from the cluster.
 */
package dev.teal.gateway.config;
