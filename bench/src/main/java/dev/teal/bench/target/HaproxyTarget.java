package dev.teal.bench.target;

import dev.teal.bench.process.ManagedProcess;
import dev.teal.bench.process.Ports;
import dev.teal.bench.process.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * HAProxy: one thread, {@code http-reuse always}; every color is a server of one backend, the inactive ones in
 * maintenance. Switches through the runtime API on its stats socket: the new color's servers to {@code ready}, then
 * the old ones to {@code maint}, in one command line.
 */
final class HaproxyTarget implements Target {
    private final ManagedProcess process;
    private final InetSocketAddress address;
    private final Path socket;
    private final Upstreams upstreams;

    private HaproxyTarget(ManagedProcess process, InetSocketAddress address, Path socket, Upstreams upstreams) {
        this.process = process;
        this.address = address;
        this.socket = socket;
        this.upstreams = upstreams;
    }

    static HaproxyTarget start(Path dir, Upstreams upstreams, int cpu) throws IOException, InterruptedException {
        return start(dir, upstreams, cpu, null);
    }

    /**
     * The same proxy on a TLS listener ({@code bind ... ssl crt <pem> alpn h2,http/1.1}, TLS 1.2 and 1.3); HTTP/2 from
     * clients, HTTP/1.1 keep-alive to the backend.
     */
    static HaproxyTarget startTls(Path dir, Upstreams upstreams, int cpu, TlsFiles tls)
            throws IOException, InterruptedException {
        return start(dir, upstreams, cpu, tls);
    }

    private static HaproxyTarget start(Path dir, Upstreams upstreams, int cpu, TlsFiles tls)
            throws IOException, InterruptedException {
        String binary = Tools.require("haproxy");
        Files.createDirectories(dir);
        // unix socket paths are limited to ~100 bytes: keep it short, outside the (possibly deep) work dir
        Path socketDir = Files.createTempDirectory("teal-hap");
        socketDir.toFile().deleteOnExit();
        Path socket = socketDir.resolve("s.sock");
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Ports.free());
        StringBuilder servers = new StringBuilder();
        for (Map.Entry<String, List<InetSocketAddress>> e : upstreams.colors().entrySet()) {
            int i = 0;
            for (InetSocketAddress a : e.getValue()) {
                servers.append("  server ").append(serverName(e.getKey(), i++)).append(' ')
                        .append(a.getHostString()).append(':').append(a.getPort())
                        .append(e.getKey().equals(upstreams.active()) ? "" : " disabled").append('\n');
            }
        }
        String cfg = """
                global
                  nbthread 1
                  maxconn 8000
                  stats socket %s mode 600 level admin
                defaults
                  mode http
                  timeout connect 2s
                  timeout client 300s
                  timeout server 300s
                  timeout tunnel 300s
                  timeout http-keep-alive 300s
                  option http-keep-alive
                frontend fe
                  bind %s:%d%s
                  default_backend be
                backend be
                  http-reuse always
                %s""".formatted(socket, address.getHostString(), address.getPort(), tls == null ? ""
                        : " ssl crt " + tls.combined() + " alpn h2,http/1.1 ssl-min-ver TLSv1.2", servers);
        Path cfgFile = dir.resolve("haproxy.cfg");
        Files.writeString(cfgFile, cfg);
        ManagedProcess p = ManagedProcess.start("haproxy", List.of(binary, "-f", cfgFile.toString(), "-db"), cpu, dir);
        try {
            Ports.awaitListening(address, Duration.ofSeconds(20), p);
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        }
        return new HaproxyTarget(p, address, socket, upstreams);
    }

    private static String serverName(String color, int index) {
        return color + index;
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void switchTo(String color) throws IOException {
        StringBuilder cmd = new StringBuilder();
        for (int i = 0; i < upstreams.colors().get(color).size(); i++) {
            cmd.append("set server be/").append(serverName(color, i)).append(" state ready;");
        }
        for (Map.Entry<String, List<InetSocketAddress>> e : upstreams.colors().entrySet()) {
            if (!e.getKey().equals(color)) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    cmd.append("set server be/").append(serverName(e.getKey(), i)).append(" state maint;");
                }
            }
        }
        String answer = command(cmd.substring(0, cmd.length() - 1));
        if (!answer.isBlank()) {
            throw new IOException("haproxy runtime API refused the switch: " + answer.strip());
        }
    }

    /** One runtime API command line; returns HAProxy's answer. */
    String command(String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (ch.read(in) >= 0) {
                answer.write(in.array(), 0, in.position());
                in.clear();
            }
            return answer.toString(StandardCharsets.US_ASCII);
        }
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
