package dev.teal.bench.scenario;

import dev.teal.bench.backend.ColorBackend;
import dev.teal.bench.process.ManagedProcess;
import dev.teal.bench.process.Ports;
import dev.teal.bench.target.TealTarget;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scale}: for each N, the fabric8 mock API server (CRUD) gets N front Services {@code svc-i} (annotated to
 * serve blue), N Ingresses of class {@code teal} ({@code svc-i.scale.test}) and N EndpointSlices of {@code svc-i-blue}
 * pointing at backend {@code a}; then a real gateway process starts in cluster mode against it. Measured: start → every
 * host answers through the gateway; then, one at a time, EndpointSlice changes (PUT, never a merge patch: the mock's
 * merge patch appends to lists) that move a sampled service to the other backend, each timed from the PUT to the first
 * request that reaches the new backend (requests go out back to back on one keep-alive connection).
 */
public final class ScaleScenario {
    static final String NS = "scale";
    private static final Pattern HEAP = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$");

    /**
     * @param sizes   the Ns, in order
     * @param changes EndpointSlice changes timed per N
     * @param routedTimeout longest wait for every host to be routed
     */
    public record Options(List<Integer> sizes, int changes, Duration routedTimeout, String heap, int churnSeconds,
                          boolean profile) {
        /**
         * @param heap    the gateway's -Xms/-Xmx (e.g. {@code 512m}), or null for {@link TealTarget#JVM_FLAGS}'
         * @param profile record the gateway with JFR ({@code scale-N/gateway.jfr}, CPU samples of its start and churn)
         */
        public Options {
        }

        public Options(List<Integer> sizes, int changes, Duration routedTimeout) {
            this(sizes, changes, routedTimeout, null, 0, false);
        }

        public static Options of(boolean quick) {
            return quick ? new Options(List.of(20), 5, Duration.ofSeconds(60), null, 2, false)
                    : new Options(List.of(100, 1000), 20, Duration.ofMinutes(5), null, 10, false);
        }
    }

    /** The mock server logs every request at INFO through java.util.logging: at 30,000 objects that is the bottleneck. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private ScaleScenario() {}

    public static ScaleResult run(RunContext ctx, Options o) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        RunInfo info = RunInfo.start("scale", ctx);
        List<ScaleResult.Size> sizes = new ArrayList<>();
        for (int n : o.sizes()) {
            sizes.add(one(ctx, o, n));
        }
        return new ScaleResult(info.finished(), sizes);
    }

    private static ScaleResult.Size one(RunContext ctx, Options o, int n) throws Exception {
        IndexedCrudDispatcher store = new IndexedCrudDispatcher();
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                store, false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("a", 0);
        ports.put("b", 0);
        try (KubernetesClient client = api.createClient();
             ColorBackend backends = ColorBackend.start(ports)) {
            int portA = backends.port(0);
            int portB = backends.port(1);
            long c0 = System.nanoTime();
            seed(store, n, portA);
            long createMs = millisSince(c0);
            System.out.printf("scale N=%,d: %,d objects created in %,d ms%n", n, 3 * n, createMs);

            Path dir = ctx.workDir().resolve("scale-" + n);
            Files.createDirectories(dir);
            InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", Ports.free());
            InetSocketAddress admin = new InetSocketAddress("127.0.0.1", Ports.free());
            Files.writeString(dir.resolve("gateway.yaml"), "listen: 127.0.0.1:%d\nadmin: 127.0.0.1:%d\nworkers: 1\n"
                    .formatted(proxy.getPort(), admin.getPort()));
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String flag : TealTarget.JVM_FLAGS) {
                cmd.add(o.heap() != null && flag.startsWith("-Xms") ? "-Xms" + o.heap()
                        : o.heap() != null && flag.startsWith("-Xmx") ? "-Xmx" + o.heap() : flag);
            }
            if (o.profile()) {
                cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve("gateway.jfr"));
            }
            cmd.addAll(List.of("-Dkubernetes.master=http://127.0.0.1:" + api.getPort(),
                    "-Dkubernetes.auth.tryKubeConfig=false", "-Dkubernetes.auth.tryServiceAccount=false",
                    "-jar", ctx.settings().gatewayJar().toAbsolutePath().toString(), "--kubernetes",
                    "--namespace", NS, "--config", dir.resolve("gateway.yaml").toString(),
                    "--snapshot-file", dir.resolve("snapshot.json").toString()));
            Files.deleteIfExists(dir.resolve("snapshot.json"));
            long g0 = System.nanoTime();
            java.time.Instant wall0 = java.time.Instant.now();
            try (ManagedProcess gateway = ManagedProcess.start("teal-scale-" + n, cmd, -1, dir)) {
                HttpClient http = HttpClient.newHttpClient();
                long gatewayRoutedMs = awaitGatewayRouted(http, admin, n, o.routedTimeout(), gateway, g0);
                Map<String, Long> phases = StartPhases.await(gateway.logFile(), wall0, StartPhases.TO_ROUTED,
                        Duration.ofSeconds(10));
                long s0 = System.nanoTime();
                int sampled = awaitSampleRouted(proxy, n, o.routedTimeout());
                long sampleMs = millisSince(s0);
                double liveHeap = liveHeapMiB(http, admin, gateway.pid()); // before every service has a connection
                long a0 = System.nanoTime();
                int routed = countRouted(proxy, n);
                long allCheckMs = millisSince(a0);
                long startToRoutedMs = gatewayRoutedMs + sampleMs;
                System.out.printf("scale N=%,d: start -> routed (the gateway's /status and readiness) in %,d ms %s;"
                                + " %d sampled hosts answered through it %,d ms later; then the bench's own check of"
                                + " all %,d hosts (one connection): %,d answered 200 in %,d ms%n", n, gatewayRoutedMs,
                        phases, sampled, sampleMs, n, routed, allCheckMs);
                double rss = ProcessMemory.rssMiB(gateway.pid());
                String metrics = get(http, admin, "/metrics");
                double heap = sum(HEAP, metrics) / (1024 * 1024);
                long statusBytes = get(http, admin, "/status").length();
                long oneBytes = get(http, admin, "/status?service=svc-0." + NS).length();

                List<Long> delays = changes(client, proxy, n, o.changes(), portA, portB);
                List<Long> sorted = delays.stream().sorted().toList();
                metrics = get(http, admin, "/metrics");
                long applies = (long) value(metrics, "teal_discovery_apply_seconds_count");
                double applySum = value(metrics, "teal_discovery_apply_seconds_sum");
                long seen = (long) value(metrics, "teal_discovery_changes_total");
                ScaleResult.Size s = new ScaleResult.Size(n, createMs, startToRoutedMs, gatewayRoutedMs, phases,
                        sampleMs, allCheckMs, routed, delays,
                        sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2),
                        sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1),
                        (int) delays.stream().filter(d -> d >= 0).count(), rss, heap, metrics.length(), statusBytes,
                        oneBytes, applies, applies > 0 ? applySum * 1000 / applies : -1, seen, liveHeap, null);
                System.out.printf("scale N=%,d: slice change median %d ms, max %d ms (%d changes)%n", n,
                        s.changeMedianMs(), s.changeMaxMs(), delays.size());
                if (o.churnSeconds() > 0) {
                    s = s.withChurn(churn(client, http, admin, proxy, n, o.churnSeconds(), portA, portB, store));
                }
                return s;
            }
        } finally {
            api.destroy();
        }
    }

    /**
     * Puts the objects straight into the mock's store, as its POST handler would (resourceVersion, uid,
     * creationTimestamp set): creating them through the API costs the mock a scan of its whole store per request
     * (372 s for 30,000 objects). The gateway then lists and watches them through the API as it would a cluster's;
     * the timed changes go through the API (PUT).
     */
    private static void seed(IndexedCrudDispatcher store, int n, int port) {
        String created = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        java.util.function.BiConsumer<String, io.fabric8.kubernetes.api.model.HasMetadata> put = (path, o) ->
                store.seed(path, o, created);
        for (int k = 0; k < n; k++) {
            String name = "svc-" + k;
            put.accept("/api/v1/namespaces/" + NS + "/services", new ServiceBuilder().withNewMetadata().withName(name)
                    .withNamespace(NS).withAnnotations(Map.of("teal.dev/active", "blue",
                            "teal.dev/serving", "blue")).endMetadata()
                    .withNewSpec().withSelector(Map.of("app", name)).addNewPort().withName("http")
                    .withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build());
            put.accept("/apis/networking.k8s.io/v1/namespaces/" + NS + "/ingresses", new IngressBuilder()
                    .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                    .withNewSpec().withIngressClassName("teal").addNewRule().withHost(host(k)).withNewHttp()
                    .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
                    .withName(name).withNewPort().withNumber(80).endPort().endService().endBackend()
                    .endPath().endHttp().endRule().endSpec().build());
            put.accept("/apis/discovery.k8s.io/v1/namespaces/" + NS + "/endpointslices", slice(k, port));
        }
    }

    static EndpointSlice slice(int k, int port) {
        return new EndpointSliceBuilder().withNewMetadata().withName("svc-" + k + "-blue-1").withNamespace(NS)
                .withLabels(Map.of("kubernetes.io/service-name", "svc-" + k + "-blue")).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort()
                .addToEndpoints(new EndpointBuilder().withAddresses("127.0.0.1").withNewConditions().withReady(true)
                        .endConditions().build()).build();
    }

    static String host(int k) {
        return "svc-" + k + ".scale.test";
    }

    /**
     * Polls the admin API every 20 ms until the gateway is ready and routes the last service created: the gateway
     * publishes the first build whole, so that is all N. Returns the time since {@code g0} (the process start).
     */
    private static long awaitGatewayRouted(HttpClient http, InetSocketAddress admin, int n, Duration timeout,
                                           ManagedProcess gateway, long g0) throws Exception {
        long deadline = g0 + timeout.toNanos();
        String last = "/status?service=svc-" + (n - 1) + "." + NS;
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IOException("gateway exited:\n" + gateway.logTail(30));
            }
            try {
                if (status(http, admin, "/readyz") == 200 && status(http, admin, last) == 200) {
                    return millisSince(g0);
                }
            } catch (IOException notYet) {
                // admin not listening yet
            }
            Thread.sleep(20);
        }
        throw new IOException("the gateway did not route svc-" + (n - 1) + " within " + timeout + ":\n"
                + gateway.logTail(30));
    }

    private static int status(HttpClient http, InetSocketAddress admin, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Hosts requested after the gateway says it routes everything: 100 spread over the N, and the first and last. */
    static List<Integer> sample(int n) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (int i = 0; i < 100; i++) {
            out.add((int) ((long) i * n / 100));
        }
        out.add(n - 1);
        return List.copyOf(out);
    }

    /**
     * Requests each sampled host on one keep-alive connection until it answers 200 (each is the first request of its
     * service: the gateway opens an upstream connection for it); returns how many did.
     */
    private static int awaitSampleRouted(InetSocketAddress proxy, int n, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int ok = 0;
        KeepAliveConnection c = null;
        try {
            for (int k : sample(n)) {
                while (System.nanoTime() < deadline) {
                    try {
                        c = c != null ? c : new KeepAliveConnection(proxy, 5000);
                        if (c.get("/", host(k)).status() == 200) {
                            ok++;
                            break;
                        }
                    } catch (IOException closed) {
                        c = null; // closed on an unrouted host
                    }
                    Thread.sleep(20);
                }
            }
        } finally {
            if (c != null) {
                c.close();
            }
        }
        return ok;
    }

    /**
     * The gateway's heap in use right after a full collection ({@code jcmd PID GC.run}): what it keeps, without the
     * garbage a single reading of {@code jvm_memory_used_bytes} includes. -1 when jcmd is not there.
     */
    private static double liveHeapMiB(HttpClient http, InetSocketAddress admin, long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return sum(HEAP, get(http, admin, "/metrics")) / (1024 * 1024);
    }

    /** The bench's own check: every host once, back to back on one keep-alive connection; how many answer 200. */
    private static int countRouted(InetSocketAddress proxy, int n) throws Exception {
        int ok = 0;
        KeepAliveConnection c = new KeepAliveConnection(proxy, 5000);
        try {
            for (int i = 0; i < n; i++) {
                try {
                    if (c.get("/", host(i)).status() == 200) {
                        ok++;
                    }
                } catch (IOException closed) {
                    c.close();
                    c = new KeepAliveConnection(proxy, 5000);
                }
            }
        } finally {
            c.close();
        }
        return ok;
    }

    /** Moves sampled services between backends a and b, one PUT at a time; -1 for a change never seen (10 s). */
    private static List<Long> changes(KubernetesClient client, InetSocketAddress proxy, int n, int count, int portA,
                                      int portB) throws Exception {
        Random random = new Random(14);
        Map<Integer, Boolean> onB = new HashMap<>();
        List<Long> delays = new ArrayList<>();
        List<Long> puts = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            int k = random.nextInt(n);
            boolean toB = !onB.getOrDefault(k, false);
            String want = toB ? "b" : "a";
            try (KeepAliveConnection c = new KeepAliveConnection(proxy, 5000)) {
                c.get("/", host(k)); // connection and upstream pool warm before the clock starts
                long t0 = System.nanoTime();
                client.discovery().v1().endpointSlices().inNamespace(NS).resource(slice(k, toB ? portB : portA))
                        .update();
                puts.add(millisSince(t0));
                long delay = -1;
                long deadline = t0 + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < deadline) {
                    KeepAliveConnection.Answer a = c.get("/", host(k));
                    if (a.status() == 200 && want.equals(a.color())) {
                        delay = millisSince(t0);
                        break;
                    }
                }
                delays.add(delay);
            }
            onB.put(k, toB);
        }
        List<Long> sortedPuts = puts.stream().sorted().toList();
        System.out.printf("scale N=%,d: the mock's PUT itself (within the change times): median %d ms, max %d ms%n",
                n, sortedPuts.get(sortedPuts.size() / 2), sortedPuts.get(sortedPuts.size() - 1));
        return delays;
    }

    /** Threads sending the churn's PUTs; each then probes until its change takes effect, so several are waiting. */
    static final int CHURN_THREADS = 32;

    /**
     * 100 EndpointSlice changes a second for {@code seconds}: change j is due at {@code j × 10 ms} and sent by thread
     * {@code j mod 32}, which owns every 32nd service (two PUTs of one slice at once would conflict). Each change moves
     * its service to the other backend ({@code PUT}); its thread then requests that host back to back (3 ms apart)
     * on its own keep-alive connection until the new backend answers: PUT start → that answer is the change's
     * end-to-end time. Also read: the gateway's discovery histograms before and after (queue delay: how long the
     * first change a rebuild took up had waited; apply: the rebuild and apply).
     */
    private static ScaleResult.Churn churn(KubernetesClient client, HttpClient http, InetSocketAddress admin,
                                           InetSocketAddress proxy, int n, int seconds, int portA, int portB,
                                           IndexedCrudDispatcher store) throws Exception {
        String before = get(http, admin, "/metrics");
        long scansBefore = store.scans();
        int total = 100 * seconds;
        java.util.concurrent.atomic.AtomicInteger late = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger unseen = new java.util.concurrent.atomic.AtomicInteger();
        List<Long> effect = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Long> puts = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CHURN_THREADS);
        long t0 = System.nanoTime() + 200_000_000L;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < CHURN_THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(thread);
                    Map<Integer, Boolean> onB = new HashMap<>();
                    KeepAliveConnection c = new KeepAliveConnection(proxy, 5000);
                    try {
                        for (int j = thread; j < total; j += CHURN_THREADS) {
                            long due = t0 + j * 10_000_000L; // one change every 10 ms overall
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            } else if (wait < -100_000_000L) {
                                late.incrementAndGet(); // this thread fell behind: its last change took long
                            }
                            int owned = (n - thread + CHURN_THREADS - 1) / CHURN_THREADS;
                            if (owned <= 0) {
                                return null;
                            }
                            int k = random.nextInt(owned) * CHURN_THREADS + thread;
                            boolean toB = !onB.getOrDefault(k, false);
                            EndpointSlice sl = slice(k, toB ? portB : portA);
                            sl.getMetadata().setAnnotations(Map.of("churn", String.valueOf(j)));
                            long p0 = System.nanoTime();
                            client.discovery().v1().endpointSlices().inNamespace(NS).resource(sl).update();
                            puts.add(millisSince(p0));
                            onB.put(k, toB);
                            String want = toB ? "b" : "a";
                            long deadline = p0 + Duration.ofSeconds(10).toNanos();
                            long seen = -1;
                            while (System.nanoTime() < deadline) {
                                KeepAliveConnection.Answer a;
                                try {
                                    a = c.get("/", host(k));
                                } catch (IOException closed) {
                                    c.close();
                                    c = new KeepAliveConnection(proxy, 5000);
                                    continue;
                                }
                                if (a.status() == 200 && want.equals(a.color())) {
                                    seen = (System.nanoTime() - p0) / 1000;
                                    break;
                                }
                                Thread.sleep(3);
                            }
                            if (seen < 0) {
                                unseen.incrementAndGet();
                            } else {
                                effect.add(seen);
                            }
                        }
                    } finally {
                        c.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double sent = (System.nanoTime() - t0) / 1e9;
        String after = get(http, admin, "/metrics");
        double batches = value(after, "teal_discovery_queue_seconds_count")
                - value(before, "teal_discovery_queue_seconds_count");
        double queueSum = value(after, "teal_discovery_queue_seconds_sum")
                - value(before, "teal_discovery_queue_seconds_sum");
        double within = bucket(after, "teal_discovery_queue_seconds", "0.1")
                - bucket(before, "teal_discovery_queue_seconds", "0.1");
        double within50 = bucket(after, "teal_discovery_queue_seconds", "0.05")
                - bucket(before, "teal_discovery_queue_seconds", "0.05");
        double applies = value(after, "teal_discovery_apply_seconds_count")
                - value(before, "teal_discovery_apply_seconds_count");
        double applySum = value(after, "teal_discovery_apply_seconds_sum")
                - value(before, "teal_discovery_apply_seconds_sum");
        double applyWithin50 = bucket(after, "teal_discovery_apply_seconds", "0.05")
                - bucket(before, "teal_discovery_apply_seconds", "0.05");
        List<Long> sorted = effect.stream().sorted().toList();
        List<Long> sortedPuts = puts.stream().sorted().toList();
        ScaleResult.Churn r = new ScaleResult.Churn(seconds, total, total / sent, late.get(),
                pct(sorted, 0.5), pct(sorted, 0.99), pct(sorted, 1.0), unseen.get(), pct(sortedPuts, 0.5) * 1000,
                pct(sortedPuts, 0.99) * 1000, (long) batches, batches > 0 ? queueSum * 1000 / batches : -1,
                (long) (batches - within50), (long) (batches - within), applies > 0 ? applySum * 1000 / applies : -1,
                (long) (applies - applyWithin50), store.scans() - scansBefore);
        System.out.printf(Locale.ROOT, "scale N=%,d: churn %,d slice PUTs in %.1f s (%.0f/s; %d sent >100 ms late;"
                        + " the mock's PUT median %d ms, p99 %d ms; store scans %d): change -> takes effect median"
                        + " %.1f ms, p99 %.1f ms, max %.1f ms (%d never seen in 10 s); %,d rebuilds, queue delay mean"
                        + " %.1f ms, %d over 50 ms, %d over 100 ms; apply mean %.1f ms, %d over 50 ms%n", n, total,
                sent, r.putsPerSecond(), r.lateSends(), pct(sortedPuts, 0.5), pct(sortedPuts, 0.99), r.storeScans(),
                r.effectMedianUs() / 1000.0, r.effectP99Us() / 1000.0, r.effectMaxUs() / 1000.0, r.unseen(),
                r.rebuilds(), r.queueMeanMs(), r.queueOver50ms(), r.queueOver100ms(), r.applyMeanMs(),
                r.applyOver50ms());
        return r;
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static double bucket(String metrics, String name, String le) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "_bucket\\{[^}]*le=\"" + Pattern.quote(le)
                + "\"[^}]*} (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String get(HttpClient http, InetSocketAddress admin, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static double sum(Pattern p, String text) {
        double total = 0;
        Matcher m = p.matcher(text);
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
