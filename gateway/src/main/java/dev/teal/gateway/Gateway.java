package dev.teal.gateway;

import dev.teal.contract.BuildInfo;
import dev.teal.contract.ConfigException;
import dev.teal.contract.HostPort;
import dev.teal.contract.Units;
import dev.teal.contract.status.TlsStatus;
import dev.teal.gateway.admin.AdminServer;
import dev.teal.gateway.config.ConfigDiff;
import dev.teal.gateway.config.ConfigFile;
import dev.teal.gateway.config.ReloadResult;
import dev.teal.gateway.config.GatewayConfig;
import dev.teal.gateway.listener.Transport;
import dev.teal.gateway.metrics.GatewayMetrics;
import dev.teal.gateway.proxy.ProxyContext;
import dev.teal.gateway.proxy.Http2UpstreamInitializer;
import dev.teal.gateway.proxy.ProxyInitializer;
import dev.teal.gateway.proxy.ProxySettings;
import dev.teal.gateway.proxy.UpstreamInitializer;
import dev.teal.gateway.guard.CutoverGuard;
import dev.teal.gateway.routing.Router;
import dev.teal.gateway.routing.SwitchOutcome;
import dev.teal.gateway.upstream.HealthChecker;
import dev.teal.gateway.upstream.LoopConnectionPool;
import dev.teal.gateway.upstream.LoopPools;
import dev.teal.gateway.tls.CertificateLoader;
import dev.teal.gateway.tls.CertificateStore;
import dev.teal.gateway.tls.Http2Installer;
import dev.teal.gateway.tls.TlsInitializer;
import dev.teal.gateway.tls.TlsProvider;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: the proxy listener, the admin listener, and the state behind them. Start one with
 * {@link #start}; give it new configurations with {@link #apply}; stop it with {@link #shutdown} (graceful) or
 * {@link #close} (at once).
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Transport transport;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService control;
    private final GatewayMetrics metrics;
    private final HealthChecker health;
    private final LoopPools loopPools;
    private final Router router;
    private final CutoverGuard guard;
    private final ProxyContext proxy;
    private volatile GatewayConfig config;
    private volatile Channel listener;
    private volatile Channel tlsListener;
    /** The HTTPS listener's certificates; null without {@code tls:}. */
    private volatile CertificateStore certificates;
    private volatile AdminServer admin;
    private volatile boolean ready;
    private volatile boolean stopping;
    private volatile Function<String, Map<String, ?>> statusExtras = name -> null;
    private volatile String configSource = ConfigFile.EMBEDDED;
    private volatile Function<String, ReloadResult> reloader = trigger -> ReloadResult.notReloadable(
            "nothing to reload: the gateway runs on the embedded default; start it with --config FILE");

    private Gateway(GatewayConfig config) {
        this.config = config;
        this.transport = Transport.best();
        this.metrics = new GatewayMetrics(config.metrics());
        this.workers = transport.newGroup(config.eventLoopThreads(), "teal-io");
        this.control = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "teal-control");
            t.setDaemon(true);
            return t;
        });
        UpstreamInitializer upstreamInit = new UpstreamInitializer();
        Http2UpstreamInitializer h2UpstreamInit = new Http2UpstreamInitializer();
        List<LoopConnectionPool> pools = new ArrayList<>();
        for (EventExecutor e : workers) {
            pools.add(new LoopConnectionPool((EventLoop) e, transport.socketChannel(), upstreamInit, h2UpstreamInit,
                    config.timeouts().connect(), config.timeouts().upstreamIdle(),
                    config.upstream().maxConnectionsPerEndpoint()));
        }
        this.loopPools = new LoopPools(pools);
        this.health = new HealthChecker(workers, transport.socketChannel());
        this.router = new Router(metrics, control, loopPools, health);
        this.proxy = new ProxyContext(router, loopPools, metrics, ProxySettings.of(config));
        this.guard = new CutoverGuard(router, metrics, control);
        metrics.bindEventLoops(workers);
    }

    /** Binds both listeners and applies the configuration; on failure everything started is stopped again. */
    public static Gateway start(GatewayConfig config) throws InterruptedException {
        return start(config, "file");
    }

    /** As {@link #start(GatewayConfig)}, on a configuration read from a file or the embedded default. */
    public static Gateway start(ConfigFile file) throws InterruptedException {
        return start(file.config(), "file", file.source());
    }

    /**
     * As {@link #start(GatewayConfig)}, with the mode {@code /status} reports ({@code file} or {@code kubernetes}).
     */
    public static Gateway start(GatewayConfig config, String mode) throws InterruptedException {
        return start(config, mode, mode.equals("kubernetes") ? "kubernetes" : "in-process");
    }

    /**
     * The full form: {@code mode} is what {@code /status} reports ({@code file} or {@code kubernetes}); {@code source}
     * where the configuration came from, as {@code /config} and the start-up line show it ({@code file: /path},
     * {@code embedded default}, {@code kubernetes}).
     */
    public static Gateway start(GatewayConfig config, String mode, String source) throws InterruptedException {
        return start(config, mode, source, null);
    }

    /**
     * As {@link #start(GatewayConfig, String, String)}, with another HTTP/2 side for HTTPS connections whose client
     * chose {@code h2} by ALPN (null: the gateway's own HTTP/2 frontend, the same as for h2c).
     */
    public static Gateway start(GatewayConfig config, String mode, String source, Http2Installer http2)
            throws InterruptedException {
        Gateway g = new Gateway(Objects.requireNonNull(config));
        g.configSource = Objects.requireNonNull(source);
        if (mode.equals("kubernetes")) {
            g.refuseAdminSwitch(); // before the first apply, so services from the snapshot file say source kubernetes
        } else {
            g.guard.start(); // standalone: each gateway judges its own cutovers (in a cluster, the controller does)
        }
        try {
            g.router.apply(null, config);
            g.admin = AdminServer.bind(config.admin(), g.transport, g.router, g.metrics, g::isReady, mode,
                    name -> g.statusExtras.apply(name),
                    new AdminServer.Operations(g::config, () -> g.configSource, g::reload, g::tlsStatus));
            ProxyInitializer http1 = new ProxyInitializer(g.proxy, config.limits().maxRequestLine(),
                    config.limits().maxHeaderBytes());
            g.listener = g.bind(config.listen(), http1, true);
            if (config.tls() != null) {
                // ALPN h2 goes to the gateway's own HTTP/2 frontend unless the caller brings another
                g.startTls(config, http1, http2 != null ? http2 : http1.http2()::install);
            }
        } catch (InterruptedException | RuntimeException e) {
            g.close();
            throw e;
        }
        g.ready = true;
        LOG.atInfo().addKeyValue("listen", config.listen().host() + ":" + g.proxyPort())
                .addKeyValue("admin", config.admin().host() + ":" + g.adminPort())
                .addKeyValue("transport", g.transport.name()).addKeyValue("workers", config.eventLoopThreads())
                .addKeyValue("services", config.services().size()).addKeyValue("config", source)
                .addKeyValue("version", BuildInfo.current().version())
                .addKeyValue("revision", BuildInfo.current().revision()).log("gateway started");
        return g;
    }

    private Channel bind(HostPort address, ChannelHandler initializer, boolean halfClosure) throws InterruptedException {
        return new ServerBootstrap().group(workers).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                // a half-closed client still gets its answer (plain HTTP; TLS ends with close_notify)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .childHandler(initializer)
                .bind(new InetSocketAddress(address.host(), address.port())).sync().channel();
    }

    /** The HTTPS listener: certificates loaded (a bad one fails the start), provider logged, files watched. */
    private void startTls(GatewayConfig config, ProxyInitializer http1, Http2Installer http2)
            throws InterruptedException {
        TlsProvider provider = TlsProvider.detect();
        CertificateStore store = new CertificateStore(new CertificateLoader(provider, http2 != null));
        store.configure(config.tls());
        certificates = store;
        tlsListener = bind(config.tls().listen(),
                new TlsInitializer(store, http1, http2, config.timeouts().header()), false);
        proxy.update(ProxySettings.of(config, tlsPort())); // redirects name the bound port
        control.scheduleWithFixedDelay(() -> {
            try {
                store.refreshFiles("file change");
            } catch (RuntimeException e) {
                LOG.atError().addKeyValue("error", e.toString()).log("certificate check failed");
            }
        }, 1, 1, TimeUnit.SECONDS);
        LOG.atInfo().addKeyValue("provider", provider.name()).addKeyValue("version", provider.version())
                .addKeyValue("why", provider.why())
                .addKeyValue("listen", config.tls().listen().host() + ":" + tlsPort())
                .addKeyValue("alpn", http2 != null ? "h2,http/1.1" : "http/1.1")
                .addKeyValue("certificates", store.status("").certificates().size()).log("tls listener started");
    }

    /** {@code /status}'s {@code tls} part; null without an HTTPS listener. */
    private TlsStatus tlsStatus() {
        CertificateStore c = certificates;
        Channel l = tlsListener;
        if (c == null || l == null) {
            return null;
        }
        InetSocketAddress bound = (InetSocketAddress) l.localAddress();
        return c.status(bound.getHostString() + ":" + bound.getPort());
    }

    /** The HTTPS listener's certificates (Kubernetes mode adds those of Ingress Secrets); null without TLS. */
    public CertificateStore certificates() {
        return certificates;
    }

    /** The HTTPS listener's port; -1 without one. */
    public int tlsPort() {
        Channel l = tlsListener;
        return l == null ? -1 : ((InetSocketAddress) l.localAddress()).getPort();
    }

    private static final int LOGGED_KEYS = 20;

    /** At most {@value #LOGGED_KEYS} changed keys for one log line (the first build of 10,000 services changes all). */
    static String loggedKeys(List<String> changed) {
        if (changed.size() <= LOGGED_KEYS) {
            return String.join(",", changed);
        }
        return String.join(",", changed.subList(0, LOGGED_KEYS)) + ",... (" + (changed.size() - LOGGED_KEYS)
                + " more)";
    }

    /**
     * Applies a new configuration without dropping a connection. Listener addresses and the worker count need a
     * restart and are kept as they are (with a warning naming the changed key); everything else takes effect at once.
     *
     * @return what changed
     * @throws ConfigException when the configuration cannot be applied; the running state is then unchanged
     */
    public synchronized ReloadResult apply(GatewayConfig next) {
        return apply(next, null);
    }

    /**
     * As {@link #apply(GatewayConfig)}, told what changed: with {@code touched} (not null) {@code next} has the
     * running configuration's settings, routes and services under the same names, and only the services named in it
     * may be other objects; only they are compared and brought up to date (Kubernetes mode after EndpointSlice
     * changes: the work does not grow with the number of services).
     */
    public synchronized ReloadResult apply(GatewayConfig next, java.util.Collection<String> touched) {
        GatewayConfig prev = config;
        List<String> changed = ConfigDiff.between(prev, next, touched);
        List<String> notes = new ArrayList<>();
        for (String key : ConfigDiff.restartOnly(prev, next)) {
            String running = switch (key) {
                case "listen" -> prev.listen().toString();
                case "admin" -> prev.admin().toString();
                case "tls.listen" -> prev.tls() == null ? "none" : prev.tls().listen().toString();
                default -> String.valueOf(prev.workers());
            };
            LOG.atWarn().addKeyValue("key", key).addKeyValue("running", running)
                    .log("this key takes effect only after a restart; kept as it is");
            notes.add(key + " changed; it takes effect only after a restart (running: " + running + ")");
        }
        if (!prev.metrics().equals(next.metrics())) {
            LOG.atWarn().log("metrics settings take effect only after a restart; kept as they are");
        }
        CertificateStore certs = certificates;
        if (certs != null && next.tls() != null && !next.tls().equals(prev.tls())) {
            // first: a new certificate that cannot be loaded refuses the whole file (changed file content is
            // picked up by the certificate check every second and on reload)
            certs.configure(next.tls());
        }
        router.apply(prev, next, touched);
        proxy.update(ProxySettings.of(next, Math.max(tlsPort(), 0)));
        for (LoopConnectionPool p : loopPools.all()) {
            p.update(next.timeouts().connect(), next.timeouts().upstreamIdle(), next.upstream().maxConnectionsPerEndpoint());
        }
        config = next;
        metrics.reloadApplied();
        LOG.atInfo().addKeyValue("services", next.services().size())
                .addKeyValue("changed", changed.isEmpty() ? "nothing" : loggedKeys(changed))
                .log("configuration applied");
        return ReloadResult.applied(changed, notes);
    }

    /**
     * Reloads now, as SIGHUP and {@code POST /reload} ask: re-reads the file (see {@link #reloadWith}); with the
     * embedded default or in Kubernetes mode there is nothing to re-read and the answer says so.
     *
     * @param trigger what asked, for the log
     */
    public ReloadResult reload(String trigger) {
        CertificateStore certs = certificates;
        if (certs != null) {
            certs.refreshFiles(trigger); // certificate files are re-read whatever the configuration source
        }
        ReloadResult r = reloader.apply(trigger);
        if (r.outcome() == ReloadResult.Outcome.NOT_RELOADABLE) {
            LOG.atWarn().addKeyValue("trigger", trigger).addKeyValue("reason", r.errors().get(0))
                    .log("reload ignored");
        }
        return r;
    }

    /** What {@link #reload} does (standalone with a file: the file watcher's {@code reload}). */
    public void reloadWith(Function<String, ReloadResult> reload) {
        this.reloader = Objects.requireNonNull(reload);
    }

    /** Where the running configuration came from: {@code file: /path}, {@code embedded default}, {@code kubernetes}. */
    public String configSource() {
        return configSource;
    }

    /** Counts a configuration that was refused, for {@code teal_config_reloads_total{result="rejected"}}. */
    public void rejected(ConfigException e) {
        metrics.reloadRejected();
    }

    public SwitchOutcome switchTo(String service, String color, boolean force) {
        return router.switchTo(service, color, force);
    }

    public GatewayConfig config() {
        return config;
    }

    public Router router() {
        return router;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public ScheduledExecutorService controlExecutor() {
        return control;
    }

    public int proxyPort() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public boolean isReady() {
        return ready && !stopping;
    }

    /** Readiness beyond "listeners bound" (Kubernetes mode: a routing snapshot exists). */
    public void setReady(boolean value) {
        this.ready = value;
    }

    /** Extra per-service fields for {@code /status} (Kubernetes mode adds the Service it follows). */
    public void setStatusExtras(Function<String, Map<String, ?>> extras) {
        this.statusExtras = Objects.requireNonNull(extras);
    }

    /** Switch requests through the admin API are refused (Kubernetes mode: the cluster decides). */
    public void refuseAdminSwitch() {
        router.allowAdminSwitch(false);
    }

    /**
     * Graceful stop: readiness turns false at once; the listener keeps serving for the pre-stop delay; then it stops
     * accepting, answers with {@code Connection: close}, closes idle connections, and waits for in-flight requests
     * up to the shutdown timeout. Blocks the calling thread (never call it on an event loop).
     */
    public void shutdown() {
        stopping = true;
        Duration delay = config.shutdown().preStopDelay();
        LOG.atInfo().addKeyValue("preStopDelay", Units.format(delay))
                .addKeyValue("timeout", Units.format(config.shutdown().timeout())).log("shutdown started");
        sleep(delay.toMillis());
        closeListeners();
        proxy.startShutdown();
        long deadline = System.nanoTime() + config.shutdown().timeout().toNanos();
        while (proxy.openClientConnections() > 0 && System.nanoTime() < deadline) {
            sleep(10);
        }
        int left = proxy.openClientConnections();
        if (left > 0) {
            LOG.atWarn().addKeyValue("connections", left).log("shutdown timeout: closing what is left");
        }
        close();
        LOG.atInfo().log("shutdown complete");
    }

    private void closeListeners() {
        for (Channel l : new Channel[] {listener, tlsListener}) {
            if (l != null) {
                l.close().awaitUninterruptibly();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops at once: connections are closed. */
    @Override
    public void close() {
        stopping = true;
        closeListeners();
        AdminServer a = admin;
        if (a != null) {
            a.close();
        }
        proxy.clients().close().awaitUninterruptibly();
        health.close();
        guard.close();
        control.shutdownNow();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        metrics.close();
    }
}
