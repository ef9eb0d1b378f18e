package dev.teal.bench.target;

import dev.teal.bench.process.ManagedProcess;
import dev.teal.bench.process.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ceiling}: {@link CeilingRelay}, a bare Netty relay in its own JVM (the same flags as Teal, pinned to the same
 * kind of core), so that {@code compare} shows how far Teal is from its own stack's limit. It forwards to the first
 * endpoint of the active color and has no colors to switch: it takes part in {@code compare} only.
 */
public final class CeilingTarget implements Target {
    private final ManagedProcess process;
    private final InetSocketAddress address;

    private CeilingTarget(ManagedProcess process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    static CeilingTarget start(Path dir, Upstreams upstreams, int cpu) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        InetSocketAddress upstream = upstreams.colors().get(upstreams.active()).get(0);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Ports.free());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(TealTarget.JVM_FLAGS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CeilingRelay.class.getName(),
                String.valueOf(address.getPort()), upstream.getHostString(), String.valueOf(upstream.getPort())));
        ManagedProcess p = ManagedProcess.start("ceiling", cmd, cpu, dir);
        try {
            Ports.awaitListening(address, Duration.ofSeconds(60), p);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return new CeilingTarget(p, address);
    }

    @Override
    public String name() {
        return "ceiling";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void switchTo(String color) {
        throw new UnsupportedOperationException("the ceiling relay has no colors; it takes part in compare only");
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
