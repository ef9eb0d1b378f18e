package dev.teal.bench.target;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** The backends a target forwards to, per color, and the color that serves first. */
public record Upstreams(Map<String, List<InetSocketAddress>> colors, String active) {
    public Upstreams {
        colors = Map.copyOf(colors);
        if (!colors.containsKey(active)) {
            throw new IllegalArgumentException("active color " + active + " has no endpoints");
        }
    }

    /** Every color served by the one {@code address}; {@code blue} is active. */
    public static Upstreams single(InetSocketAddress address) {
        return new Upstreams(Map.of("blue", List.of(address)), "blue");
    }

    public static Upstreams blueGreen(InetSocketAddress blue, InetSocketAddress green) {
        return new Upstreams(Map.of("blue", List.of(blue), "green", List.of(green)), "blue");
    }

    public int endpointCount() {
        return colors.values().stream().mapToInt(List::size).sum();
    }
}
