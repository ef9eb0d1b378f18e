package dev.teal.gateway.admin;

import dev.teal.contract.HostPort;
import dev.teal.contract.status.TlsStatus;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.config.ReloadResult;
import dev.teal.gateway.listener.Transport;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.routing.Router;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/** The admin listener: one event-loop thread of its own, so a busy proxy never delays a switch or a probe. */
public final class AdminServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * What the operator endpoints need from the gateway.
     *
     * @param config the running configuration, for {@code GET /config}
     * @param source where it came from ({@code file: /path}, {@code embedded default}, {@code kubernetes})
     * @param reload reloads now and says how it went, for {@code POST /reload} (its argument: what asked)
     * @param tls    the HTTPS listener's part of {@code /status}; it returns null when there is none
     */
    public record Operations(Supplier<GatewayConfig> config, Supplier<String> source,
                             Function<String, ReloadResult> reload, Supplier<TlsStatus> tls) {

        /** Without an HTTPS listener. */
        public Operations(Supplier<GatewayConfig> config, Supplier<String> source,
                          Function<String, ReloadResult> reload) {
            this(config, source, reload, () -> null);
        }
    }

    public static AdminServer bind(HostPort address, Transport transport, Router router, GatewayMetrics metrics,
                                   BooleanSupplier ready, String mode, Function<String, Map<String, ?>> statusExtras,
                                   Operations operations)
            throws InterruptedException {
        EventLoopGroup group = transport.newGroup(1, "teal-admin");
        try {
            Channel ch = new ServerBootstrap().group(group).channel(transport.serverChannel())
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new ReadTimeoutHandler(30))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(64 * 1024))
                                    .addLast(new AdminHandler(router, metrics, ready, mode, statusExtras,
                                            operations));
                        }
                    })
                    .bind(new InetSocketAddress(address.host(), address.port())).sync().channel();
            return new AdminServer(group, ch);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
