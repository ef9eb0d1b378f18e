package dev.teal.gateway.metrics;

import dev.teal.contract.BuildInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import dev.teal.gateway.config.MetricsSettings;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.EventLoopGroup;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** The Prometheus registry with JVM, process and Netty binders, and factories for the gateway's own meters. */
public final class GatewayMetrics implements AutoCloseable {
    /**
     * promtool rejects a metric without help text, and some of Micrometer's binders (Netty's allocator) register
     * meters without a description; this gives every such meter one derived from its name.
     */
    private static final MeterFilter DESCRIBE_ALL = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            String d = id.getDescription();
            if (d != null && !d.isBlank()) {
                return id;
            }
            String what = id.getName().startsWith("netty.allocator") ? "Netty buffer allocator: " : "";
            return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(),
                    what + id.getName().replace('.', ' '), id.getType());
        }
    };

    private static final String REQUESTS_MAX = "teal_requests_seconds_max";

    private final MetricsSettings settings;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter reloadsApplied;
    private final Counter reloadsRejected;

    /** With the default settings: no per-endpoint series, coarse latency buckets. */
    public GatewayMetrics() {
        this(MetricsSettings.DEFAULTS);
    }

    public GatewayMetrics(MetricsSettings settings) {
        this.settings = settings;
        // two of Micrometer's names fail promtool's lint: process_cpu_time_ns_total (abbreviated unit) and
        // system_cpu_count (a _count suffix on a gauge); process_cpu_usage and the JVM's own metrics cover them
        registry.config().namingConvention(new CachedNamingConvention(registry.config().namingConvention()));
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                        || id.getName().equals("system.cpu.count")))
                .meterFilter(DESCRIBE_ALL);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        if (alloc instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        // request timers and error counters are registered at their first use, on an event loop: load and link
        // their classes now, so that first request of a service does not pay for it
        registry.remove(requestTimer("warm-up", "warm-up", "2xx"));
        registry.remove(upstreamError("warm-up", "warm-up", "connect"));
        reloadsApplied = Counter.builder(TealMeters.CONFIG_RELOADS).description(TealMeters.CONFIG_RELOADS_HELP)
                .tag("result", "applied").register(registry);
        reloadsRejected = Counter.builder(TealMeters.CONFIG_RELOADS).description(TealMeters.CONFIG_RELOADS_HELP)
                .tag("result", "rejected").register(registry);
        BuildInfo build = BuildInfo.current();
        Gauge.builder(TealMeters.BUILD_INFO, () -> 1).description(TealMeters.BUILD_INFO_HELP)
                .tags("version", build.version(), "revision", build.revision(), "java", build.java())
                .register(registry);
    }

    /** The optional series this registry carries (fixed for its lifetime). */
    public MetricsSettings settings() {
        return settings;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        if (settings.fineLatencyBuckets()) {
            return registry.scrape();
        }
        // Micrometer gives every timer a _max gauge: one more series per service, color and status class that no
        // dashboard or alert reads, so it is exported only with the fine latency option
        StringWriter out = new StringWriter(64 * 1024);
        try {
            TextFormat.write004(out, registry.getPrometheusRegistry()
                    .filteredMetricFamilySamples(name -> !name.equals(REQUESTS_MAX)));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return out.toString();
    }

    public void bindEventLoops(EventLoopGroup group) {
        new NettyEventExecutorMetrics(group).bindTo(registry);
    }

    public void reloadApplied() {
        reloadsApplied.increment();
    }

    public void reloadRejected() {
        reloadsRejected.increment();
    }

    public Timer requestTimer(String service, String color, String statusClass) {
        return Timer.builder(TealMeters.REQUESTS).description(TealMeters.REQUESTS_HELP)
                .tags("service", service, "color", color, "status", statusClass)
                .serviceLevelObjectives(settings.fineLatencyBuckets() ? TealMeters.FINE_LATENCY_BUCKETS
                        : TealMeters.LATENCY_BUCKETS)
                .register(registry);
    }

    public Timer drainTimer(String service) {
        return Timer.builder(TealMeters.DRAIN).description(TealMeters.DRAIN_HELP).tags("service", service)
                .serviceLevelObjectives(TealMeters.DRAIN_BUCKETS).register(registry);
    }

    public Counter cutover(String service, String from, String to, String result) {
        return Counter.builder(TealMeters.CUTOVERS).description(TealMeters.CUTOVERS_HELP)
                .tags("service", service, "from", from, "to", to, "result", result).register(registry);
    }

    public Counter upstreamError(String service, String color, String kind) {
        return Counter.builder(TealMeters.UPSTREAM_ERRORS).description(TealMeters.UPSTREAM_ERRORS_HELP)
                .tags("service", service, "color", color, "kind", kind).register(registry);
    }

    /** A counter with these tags (preview and sticky counts; see {@link TealMeters}). */
    public Counter counter(String name, String help, Tags tags) {
        return Counter.builder(name).description(help).tags(tags).register(registry);
    }

    public Counter rejected(String reason) {
        return Counter.builder(TealMeters.REJECTED).description(TealMeters.REJECTED_HELP).tag("reason", reason)
                .register(registry);
    }

    public <T> Gauge gauge(String name, String help, Tags tags, T obj, ToDoubleFunction<T> f) {
        return Gauge.builder(name, obj, f).description(help).tags(tags).strongReference(true).register(registry);
    }

    public Gauge gauge(String name, String help, Tags tags, Supplier<Number> f) {
        return Gauge.builder(name, f).description(help).tags(tags).strongReference(true).register(registry);
    }

    public void remove(Meter meter) {
        registry.remove(meter);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
