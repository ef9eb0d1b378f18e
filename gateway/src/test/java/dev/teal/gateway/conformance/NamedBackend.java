package dev.teal.gateway.conformance;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A real HTTP backend on 127.0.0.1 that says who it is: every answer is 200 with {@code X-Service}, {@code X-Pod} and
 * what it received ({@code X-Method}, {@code X-Path}, {@code X-Host}); the body is the Service name. The conformance
 * suite's echo server, reduced to what the cases assert.
 */
final class NamedBackend implements AutoCloseable {
    private final HttpServer server;

    NamedBackend(String service, String pod) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            byte[] body = (service + "\n").getBytes(StandardCharsets.UTF_8);
            var h = exchange.getResponseHeaders();
            h.set("X-Service", service);
            h.set("X-Pod", pod);
            h.set("X-Method", exchange.getRequestMethod());
            h.set("X-Path", exchange.getRequestURI().getRawPath());
            h.set("X-Host", String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
            h.set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
