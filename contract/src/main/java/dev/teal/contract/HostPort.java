package dev.teal.contract;

import java.net.InetSocketAddress;

/** A {@code host:port} pair as written in the config ({@code 127.0.0.1:9001}, {@code [::1]:80}, {@code name:80}). */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new ConfigException("empty host");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("port " + port + " is out of range 0..65535");
        }
    }

    /** Parses {@code host:port}; IPv6 literals need brackets. */
    public static HostPort parse(String text) {
        if (text == null) {
            throw new ConfigException("missing host:port");
        }
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ConfigException("'" + text + "' is not host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new ConfigException("'" + text + "': write IPv6 addresses in brackets, e.g. [::1]:80");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + text + "' has no numeric port");
        }
        return new HostPort(host, port);
    }

    public InetSocketAddress toUnresolvedAddress() {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
