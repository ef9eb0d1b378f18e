package dev.teal.bench.target;

import java.net.InetSocketAddress;

/** No proxy: the client talks straight to the active color's first backend. The physical limit. */
final class DirectTarget implements Target {
    private final InetSocketAddress address;

    DirectTarget(Upstreams upstreams) {
        this.address = upstreams.colors().get(upstreams.active()).get(0);
    }

    @Override
    public String name() {
        return "direct";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void switchTo(String color) {
        throw new UnsupportedOperationException("direct has nothing to switch");
    }

    @Override
    public long pid() {
        return -1;
    }

    @Override
    public void close() {}
}
