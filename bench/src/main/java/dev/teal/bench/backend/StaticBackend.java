package dev.teal.bench.backend;

import dev.teal.bench.process.Nginx;
import dev.teal.bench.process.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** nginx serving each {@link Body} from memory-cached files: the backend of {@code compare}. */
public final class StaticBackend implements AutoCloseable {
    private final Nginx nginx;
    private final InetSocketAddress address;

    private StaticBackend(Nginx nginx, InetSocketAddress address) {
        this.nginx = nginx;
        this.address = address;
    }

    public static StaticBackend start(Path dir, int cpu) throws IOException, InterruptedException {
        Path html = dir.resolve("html");
        Files.createDirectories(html);
        for (Body b : Body.values()) {
            byte[] content = new byte[b.bytes()];
            Arrays.fill(content, (byte) 'x');
            if (content.length > 0) {
                content[content.length - 1] = '\n';
            }
            Files.write(html.resolve(b.path().substring(1)), content);
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Ports.free());
        String http = """
                open_file_cache max=16 inactive=3600s;
                open_file_cache_valid 3600s;
                sendfile on;
                tcp_nopush off;
                default_type application/octet-stream;
                server {
                  listen %s:%d backlog=4096 reuseport;
                  root %s;
                  location / { add_header X-Color blue; }
                }
                """.formatted(address.getHostString(), address.getPort(), html);
        return new StaticBackend(Nginx.start("static-backend", dir, http, address, cpu), address);
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() {
        nginx.close();
    }
}
