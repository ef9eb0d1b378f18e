package dev.teal.bench.backend;

import dev.teal.bench.process.ManagedProcess;
import dev.teal.bench.process.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link ColorBackendMain} child process with one listener per color, pinned to the server core. */
public final class ColorBackendProcess implements AutoCloseable {
    private final ManagedProcess process;
    private final Map<String, InetSocketAddress> addresses;

    private ColorBackendProcess(ManagedProcess process, Map<String, InetSocketAddress> addresses) {
        this.process = process;
        this.addresses = addresses;
    }

    public static ColorBackendProcess start(List<String> colors, int cpu, Path workDir) throws IOException, InterruptedException {
        return start(colors, Map.of(), cpu, workDir);
    }

    /** As {@link #start(List, int, Path)}, some colors misbehaving as {@code faults} says. */
    public static ColorBackendProcess start(List<String> colors, Map<String, ColorBackend.Fault> faults, int cpu,
                                            Path workDir) throws IOException, InterruptedException {
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ColorBackendMain.class.getName()));
        for (String color : colors) {
            int port = Ports.free();
            addresses.put(color, new InetSocketAddress("127.0.0.1", port));
            ColorBackend.Fault fault = faults.get(color);
            cmd.add(color + "=" + port + (fault == null ? "" : ":" + fault));
        }
        ManagedProcess p = ManagedProcess.start("color-backend", cmd, cpu, workDir);
        try {
            for (InetSocketAddress a : addresses.values()) {
                Ports.awaitListening(a, Duration.ofSeconds(60), p);
            }
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return new ColorBackendProcess(p, addresses);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public InetSocketAddress address(String color) {
        return addresses.get(color);
    }

    public Map<String, InetSocketAddress> addresses() {
        return addresses;
    }

    @Override
    public void close() {
        process.close();
    }
}
