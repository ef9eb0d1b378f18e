package dev.teal.bench.target;

import dev.teal.bench.process.Nginx;
import dev.teal.bench.process.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * nginx as a reverse proxy: one worker, HTTP/1.1 upstream keep-alive with a pool at least as large as the client
 * connection count (a smaller pool churns upstream connections and understates nginx). Switches by rewriting the
 * upstream block and {@code nginx -s reload}.
 */
final class NginxTarget implements Target {
    private final Nginx nginx;
    private final InetSocketAddress address;
    private final Upstreams upstreams;
    private final int keepalive;
    /** The {@code listen} directive (and the TLS settings with it): a switch keeps it. */
    private final String listen;

    private NginxTarget(Nginx nginx, InetSocketAddress address, Upstreams upstreams, int keepalive, String listen) {
        this.nginx = nginx;
        this.address = address;
        this.upstreams = upstreams;
        this.keepalive = keepalive;
        this.listen = listen;
    }

    static NginxTarget start(Path dir, Upstreams upstreams, int keepalive, int cpu) throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Ports.free());
        String listen = "listen %s:%d backlog=4096;".formatted(address.getHostString(), address.getPort());
        Nginx nginx = Nginx.start("nginx", dir, http(listen, upstreams, upstreams.active(), keepalive), address, cpu);
        return new NginxTarget(nginx, address, upstreams, keepalive, listen);
    }

    /**
     * The same proxy on a TLS listener with HTTP/2 ({@code listen ... ssl http2}, nginx 1.22's syntax), TLS 1.2 and 1.3,
     * and a session cache as a production nginx would have; the upstream stays HTTP/1.1 keep-alive.
     */
    static NginxTarget startTls(Path dir, Upstreams upstreams, int keepalive, int cpu, TlsFiles tls)
            throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Ports.free());
        String listen = """
                listen %s:%d ssl http2 backlog=4096;
                  ssl_certificate %s;
                  ssl_certificate_key %s;
                  ssl_protocols %s;
                  ssl_session_cache shared:tls:10m;
                  http2_max_requests 100000000;""".formatted(address.getHostString(), address.getPort(), tls.cert(),
                tls.key(), String.join(" ", TlsFiles.PROTOCOLS));
        Nginx nginx = Nginx.start("nginx", dir, http(listen, upstreams, upstreams.active(), keepalive), address, cpu);
        return new NginxTarget(nginx, address, upstreams, keepalive, listen);
    }

    private static String http(String listen, Upstreams upstreams, String active, int keepalive) {
        String servers = upstreams.colors().get(active).stream()
                .map(a -> "  server " + a.getHostString() + ":" + a.getPort() + ";")
                .collect(Collectors.joining("\n"));
        return """
                upstream app {
                %s
                  keepalive %d;
                  keepalive_requests 100000000;
                  keepalive_timeout 300s;
                }
                map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
                server {
                  %s
                  location / {
                    proxy_pass http://app;
                    proxy_http_version 1.1;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Host $host;
                  }
                }
                """.formatted(servers, keepalive, listen);
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void switchTo(String color) throws IOException, InterruptedException {
        nginx.reload(http(listen, upstreams, color, keepalive));
    }

    @Override
    public long pid() {
        return nginx.pid();
    }

    @Override
    public void close() {
        nginx.close();
    }
}
