/**
 * Sockets: the event-loop transport (epoll where available, else NIO) in {@link dev.teal.gateway.listener.Transport},
 * and the bound listeners. The proxy listener's pipeline is built by {@code proxy.ProxyInitializer}; the admin
 * listener's by {@code admin.AdminServer}.
 */
package dev.teal.gateway.listener;
