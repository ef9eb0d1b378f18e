package dev.teal.gateway.config;

import dev.teal.contract.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts of the proxy path.
 *
 * @param connect      opening an upstream connection (default 2s); then the next endpoint is tried
 * @param response     request fully sent to first response byte (default 30s); 504 after
 * @param clientIdle   an idle keep-alive client connection is closed after this (default 60s)
 * @param upstreamIdle an idle pooled upstream connection is closed after this (default 30s)
 * @param header       a request head must arrive completely within this (default 10s); 408 after
 * @param body         a request body may stall at most this long (default 30s); 408 after
 */
public record Timeouts(Duration connect, Duration response, Duration clientIdle, Duration upstreamIdle,
                       Duration header, Duration body) {

    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30));

    public Timeouts {
        positive("connect", connect);
        positive("response", response);
        positive("clientIdle", clientIdle);
        positive("upstreamIdle", upstreamIdle);
        positive("header", header);
        positive("body", body);
    }

    static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(name + " must be greater than 0");
        }
    }
}
