package dev.teal.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.teal.gateway.Gateway;
import dev.teal.gateway.config.ConfigParser;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real grpc-java clients and servers through the gateway: h2c with prior knowledge in front, {@code protocol: h2c}
 * to a blue and a green server behind. Calls are routed when they start; a server stream keeps its color across a
 * switch, until it ends or the drain timeout ends it with {@code UNAVAILABLE}.
 */
class GrpcThroughGatewayTest {
    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> HELLO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("teal.Test/Hello")
            .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    private static final MethodDescriptor<String, String> WATCH = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.SERVER_STREAMING).setFullMethodName("teal.Test/Watch")
            .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();

    private final List<AutoCloseable> closeLater = new ArrayList<>();
    private final ConcurrentHashMap<String, BlockingQueue<StreamObserver<String>>> watchers = new ConcurrentHashMap<>();
    /** TCP connections each color's server accepted (the gateway's h2c upstream connections). */
    private final ConcurrentHashMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        Server blue = server("blue");
        Server green = server("green");
        gateway = Gateway.start(ConfigParser.parse("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                workers: 2
                http2:
                  h2c: true
                services:
                  rpc:
                    active: blue
                    drainTimeout: 30s
                    protocol: h2c
                    colors:
                      blue:  [127.0.0.1:%d]
                      green: [127.0.0.1:%d]
                  short:
                    hosts: [short]
                    active: blue
                    drainTimeout: 1s
                    protocol: h2c
                    colors:
                      blue:  [127.0.0.1:%d]
                      green: [127.0.0.1:%d]
                """.formatted(blue.getPort(), green.getPort(), blue.getPort(), green.getPort())));
        closeLater.add(gateway);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
    }

    private Server server(String color) throws IOException {
        watchers.put(color, new LinkedBlockingQueue<>());
        ServerServiceDefinition service = ServerServiceDefinition.builder("teal.Test")
                .addMethod(HELLO, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    out.onNext(color + ":" + req);
                    out.onCompleted();
                }))
                .addMethod(WATCH, ServerCalls.asyncServerStreamingCall((String req, StreamObserver<String> out) -> {
                    out.onNext(color + ":started");
                    watchers.get(color).add(out);
                }))
                .build();
        AtomicInteger accepted = new AtomicInteger();
        connections.put(color, accepted);
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service)
                .addTransportFilter(new ServerTransportFilter() {
                    @Override
                    public Attributes transportReady(Attributes attributes) {
                        accepted.incrementAndGet();
                        return attributes;
                    }
                }).build().start();
        closeLater.add(() -> s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return s;
    }

    private ManagedChannel client(String authority) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", gateway.proxyPort()).usePlaintext();
        if (authority != null) {
            b.overrideAuthority(authority);
        }
        ManagedChannel ch = b.build();
        closeLater.add(() -> ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        return ch;
    }

    private static String hello(ManagedChannel ch, String text) {
        return ClientCalls.blockingUnaryCall(ch, HELLO, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                text);
    }

    private void switchTo(String service, String color) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                        + "/services/" + service + "/switch?to=" + color)).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** What a client stream observer saw. */
    private static final class Seen implements StreamObserver<String> {
        final List<String> messages = new CopyOnWriteArrayList<>();
        volatile Status closed;

        @Override
        public void onNext(String value) {
            messages.add(value);
        }

        @Override
        public void onError(Throwable t) {
            closed = Status.fromThrowable(t);
        }

        @Override
        public void onCompleted() {
            closed = Status.OK;
        }
    }

    @Test
    void unaryCallsReachTheServingColorAndCallsAfterASwitchReachGreen() throws Exception {
        ManagedChannel ch = client(null);
        assertThat(hello(ch, "a")).isEqualTo("blue:a");
        assertThat(hello(ch, "b")).isEqualTo("blue:b");
        switchTo("rpc", "green");
        assertThat(hello(ch, "c")).isEqualTo("green:c"); // the same client connection
    }

    @Test
    void serverStreamStartedOnBlueKeepsReceivingFromBlueAfterASwitchUntilItEnds() throws Exception {
        ManagedChannel ch = client(null);
        Seen seen = new Seen();
        ClientCalls.asyncServerStreamingCall(ch.newCall(WATCH, CallOptions.DEFAULT), "w", seen);
        StreamObserver<String> upstream = watchers.get("blue").poll(10, TimeUnit.SECONDS);
        assertThat(upstream).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.messages.contains("blue:started"));
        switchTo("rpc", "green");
        assertThat(hello(ch, "new")).isEqualTo("green:new");
        upstream.onNext("blue:after-switch");
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.messages.contains("blue:after-switch"));
        upstream.onCompleted();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.closed != null);
        assertThat(seen.closed.getCode()).isEqualTo(Status.Code.OK);
        assertThat(seen.messages).containsExactly("blue:started", "blue:after-switch");
    }

    @Test
    void drainTimeoutEndsAStreamLeftOnTheOldColorWithUnavailable() throws Exception {
        ManagedChannel ch = client("short");
        Seen seen = new Seen();
        ClientCalls.asyncServerStreamingCall(ch.newCall(WATCH, CallOptions.DEFAULT), "w", seen);
        assertThat(watchers.get("blue").poll(10, TimeUnit.SECONDS)).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.messages.contains("blue:started"));
        switchTo("short", "green");
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.closed != null);
        assertThat(seen.closed.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(hello(ch, "later")).isEqualTo("green:later");
    }

    @Test
    void noUnaryCallFailsUnderConcurrentLoadAcrossASwitch() throws Exception {
        ManagedChannel ch = client(null);
        int clients = 4;
        int callsEach = 150;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger blue = new AtomicInteger();
        AtomicInteger green = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        try {
                            String answer = hello(ch, "x");
                            (answer.startsWith("blue") ? blue : green).incrementAndGet();
                        } catch (StatusRuntimeException e) {
                            failures.add(e.getStatus().toString());
                        }
                        done.incrementAndGet();
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= clients * callsEach / 3);
            switchTo("rpc", "green");
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(blue.get()).isPositive();
        assertThat(green.get()).isPositive();
        // 600 calls, 4 at a time, multiplexed: at most one upstream connection per event loop (2) and color
        assertThat(connections.get("blue").get()).isBetween(1, 2);
        assertThat(connections.get("green").get()).isBetween(1, 2);
        assertThat(hello(ch, "last")).isEqualTo("green:last");
    }

    @Test
    void anHttp11ClientGetsTheH2cUpstreamsTrailersAsChunkedTrailers() throws Exception {
        byte[] message = "hi".getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[5 + message.length]; // gRPC framing: not compressed, 4-byte length, the message
        frame[4] = (byte) message.length;
        System.arraycopy(message, 0, frame, 5, message.length);
        String head = "POST /teal.Test/Hello HTTP/1.1\r\nHost: rpc.example\r\nContent-Type: application/grpc\r\n"
                + "TE: trailers\r\nContent-Length: " + frame.length + "\r\nConnection: close\r\n\r\n";
        String answer;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.proxyPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(frame);
            socket.getOutputStream().flush();
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("transfer-encoding: chunked\r\n");
        assertThat(answer).contains("blue:hi");
        // the last chunk, then the trailers the gRPC server sent
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).containsPattern("\r\n0\r\n(.*\r\n)*grpc-status: 0\r\n");
    }
}
