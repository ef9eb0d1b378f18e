package dev.teal.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The HTTPS listener with real TLS clients (JDK, {@code openssl s_client}, {@code curl}) on 127.0.0.1: SNI picks the
 * certificate, only TLS 1.2/1.3 and AEAD suites are accepted, ALPN offers http/1.1 (and h2 with an installer), the
 * requests reach the same proxy as plain HTTP, and certificate files are reloaded without dropping connections.
 */
class TlsListenerTest {
    @TempDir
    Path dir;
    private GatewayFixture f;
    private TestCertificates certs;
    private TestCertificates.Pair exact;
    private TestCertificates.Pair wildcard;
    private TestCertificates.Pair fallback;

    @AfterEach
    void tearDown() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private void start(boolean withDefault) throws Exception {
        certs = new TestCertificates(dir);
        exact = certs.create("exact", "exact-cert", "a.example");
        wildcard = certs.create("wild", "wildcard-cert", "*.b.example");
        fallback = certs.create("default", "default-cert", "default.example");
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                accessLog: true
                tls:
                  listen: 127.0.0.1:0
                %s
                  certificates:
                    - hosts: [a.example]
                      cert: %s
                      key: %s
                    - hosts: ["*.b.example"]
                      cert: %s
                      key: %s
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [${blue}]
                """.formatted(withDefault ? "  default: {cert: %s, key: %s}".formatted(fallback.cert(), fallback.key())
                        : "", exact.cert(), exact.key(), wildcard.cert(), wildcard.key()));
    }

    private int tlsPort() {
        return f.gateway().tlsPort();
    }

    private String cnFor(String sni) throws Exception {
        try (SSLSocket s = certs.connect(tlsPort(), sni)) {
            return TestCertificates.servedCn(s);
        }
    }

    @Test
    void sniPicksExactThenWildcardThenDefaultCertificate() throws Exception {
        start(true);
        assertThat(cnFor("a.example")).isEqualTo("exact-cert");
        assertThat(cnFor("A.Example")).isEqualTo("exact-cert");
        assertThat(cnFor("x.b.example")).isEqualTo("wildcard-cert");
        assertThat(cnFor("x.y.b.example")).isEqualTo("default-cert"); // a wildcard covers one label only
        assertThat(cnFor("b.example")).isEqualTo("default-cert");
        assertThat(cnFor("other.example")).isEqualTo("default-cert");
        assertThat(cnFor(null)).isEqualTo("default-cert");
    }

    @Test
    void httpsRequestReachesTheSameProxyAndSaysHttpsUpstream() throws Exception {
        start(true);
        try (SSLSocket s = certs.connect(tlsPort(), "a.example"); RawClient c = new RawClient(s)) {
            RawClient.Response r = c.get("/headers", "a.example");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("blue\n");
            assertThat(f.backend("blue").lastHeaders().get("X-Forwarded-Proto")).isEqualTo("https");
            RawClient.Response again = c.get("/again", "a.example"); // keep-alive over TLS
            assertThat(again.status()).isEqualTo(200);
        }
        try (RawClient plain = new RawClient(f.gateway().proxyPort())) {
            assertThat(plain.get("/plain", "a.example").status()).isEqualTo(200);
            assertThat(f.backend("blue").lastHeaders().get("X-Forwarded-Proto")).isEqualTo("http");
        }
    }

    @Test
    void jdkClientRefusesTls11AndNegotiatesTls12AndTls13() throws Exception {
        start(true);
        for (String version : List.of("TLSv1.2", "TLSv1.3")) {
            try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket("127.0.0.1",
                    tlsPort())) {
                s.setEnabledProtocols(new String[] {version});
                s.startHandshake();
                assertThat(s.getSession().getProtocol()).isEqualTo(version);
                assertThat(s.getSession().getCipherSuite()).contains("GCM");
            }
        }
        try (SSLSocket s = (SSLSocket) certs.clientContext().getSocketFactory().createSocket("127.0.0.1",
                tlsPort())) {
            s.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThatThrownBy(s::startHandshake).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void opensslClientSeesSniCertificateAlpnAndRefusedVersionsAndCiphers() throws Exception {
        start(true);
        String port = "127.0.0.1:" + tlsPort();
        String ok = sClient("-connect", port, "-servername", "x.b.example", "-alpn", "http/1.1", "-tls1_3");
        assertThat(ok).contains("CN = wildcard-cert").contains("ALPN protocol: http/1.1").contains("TLSv1.3");
        assertThat(sClient("-connect", port, "-servername", "a.example", "-tls1_2"))
                .contains("CN = exact-cert").contains("TLSv1.2").contains("ECDHE");
        assertThat(sClient("-connect", port, "-tls1_1")).contains("Cipher is (NONE)");
        assertThat(sClient("-connect", port, "-tls1_2", "-cipher", "AES128-SHA")).contains("Cipher is (NONE)");
        assertThat(sClient("-connect", port, "-tls1_2", "-cipher", "AES128-GCM-SHA256")).contains("Cipher is (NONE)");
        assertThat(sClient("-connect", port, "-alpn", "h2")).contains("ALPN protocol: h2");
    }

    @Test
    void curlSpeaksHttp2OverTlsChosenByAlpnAndReachesTheBackendWithForwardedProtoHttps() throws Exception {
        start(true);
        String out = TestCertificates.run(List.of("curl", "-sS", "--http2", "--max-time", "10", "--cacert",
                wildcard.cert().toString(), "--resolve", "x.b.example:" + tlsPort() + ":127.0.0.1",
                "-w", " %{http_code} %{http_version} %{scheme}", "https://x.b.example:" + tlsPort() + "/h2"));
        assertThat(out).isEqualTo("blue\n 200 2 HTTPS");
        assertThat(f.backend("blue").lastHeaders().get("X-Forwarded-Proto")).isEqualTo("https");
        String h1 = TestCertificates.run(List.of("curl", "-sS", "--http1.1", "--max-time", "10", "--cacert",
                wildcard.cert().toString(), "--resolve", "x.b.example:" + tlsPort() + ":127.0.0.1",
                "-w", " %{http_code} %{http_version}", "https://x.b.example:" + tlsPort() + "/h1"));
        assertThat(h1).isEqualTo("blue\n 200 1.1");
    }

    private static String sClient(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client"));
        cmd.addAll(List.of(args));
        return TestCertificates.run(cmd);
    }

    @Test
    void theStickyCookieIsSecureOverHttpsOnlyAndSentOverH2Too() throws Exception {
        certs = new TestCertificates(dir);
        exact = certs.create("exact", "exact-cert", "a.example");
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                tls:
                  listen: 127.0.0.1:0
                  default: {cert: %s, key: %s}
                services:
                  shop:
                    active: blue
                    sticky: true
                    colors:
                      blue: [${blue}]
                """.formatted(exact.cert(), exact.key()));
        List<String> https = List.of("curl", "-sS", "--max-time", "10", "--cacert", exact.cert().toString(),
                "--resolve", "a.example:" + tlsPort() + ":127.0.0.1", "-D", "-", "-o", "/dev/null");
        for (String version : List.of("--http1.1", "--http2")) {
            List<String> cmd = new java.util.ArrayList<>(https);
            cmd.addAll(List.of(version, "https://a.example:" + tlsPort() + "/"));
            assertThat(TestCertificates.run(cmd)).as(version).containsIgnoringCase(
                    "set-cookie: teal-v=blue; HttpOnly; SameSite=Lax; Path=/; Secure");
        }
        assertThat(f.get("/").headers().firstValue("set-cookie"))
                .hasValue("teal-v=blue; HttpOnly; SameSite=Lax; Path=/");
    }

    @Test
    void curlWithCacertAndResolveGetsTheBackend() throws Exception {
        start(true);
        String out = TestCertificates.run(List.of("curl", "-sS", "--max-time", "10", "--cacert",
                wildcard.cert().toString(), "--resolve", "x.b.example:" + tlsPort() + ":127.0.0.1",
                "-w", " %{http_code} %{scheme}", "https://x.b.example:" + tlsPort() + "/curl"));
        assertThat(out).isEqualTo("blue\n 200 HTTPS");
    }

    @Test
    void changedCertificateFilesServeNewConnectionsWhileOpenOnesKeepWorking() throws Exception {
        start(true);
        try (SSLSocket before = certs.connect(tlsPort(), "a.example"); RawClient c = new RawClient(before)) {
            assertThat(c.get("/1", "a.example").status()).isEqualTo(200);
            certs.replace(exact, "exact-cert-2", "a.example");
            await().atMost(Duration.ofSeconds(15)).until(() -> cnFor("a.example").equals("exact-cert-2"));
            assertThat(c.get("/2", "a.example").status()).isEqualTo(200); // the connection from before the reload
            assertThat(TestCertificates.servedCn(before)).isEqualTo("exact-cert");
        }
        JsonNode status = status();
        assertThat(status.at("/tls/certificates/1/subject").asString()).isEqualTo("CN=exact-cert-2");
    }

    @Test
    void mismatchedOrInvalidPairIsRejectedInOneLogLineAndTheRunningCertificateStays() throws Exception {
        start(true);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            replaceAtomically(exact.key(), Files.readString(wildcard.key())); // a key of another certificate
            f.gateway().reload("test"); // as SIGHUP: files are read now (the 1 s check may be first)
            assertThat(cnFor("a.example")).isEqualTo("exact-cert");
            replaceAtomically(exact.cert(), "not a certificate");
            assertThat(f.adminPost("/reload").statusCode()).isLessThan(500);
            assertThat(cnFor("a.example")).isEqualTo("exact-cert");
            assertThat(f.gateway().certificates().refreshFiles("test")).isZero(); // rejected content: not again
        } finally {
            root.detachAppender(logs);
        }
        List<ILoggingEvent> rejected = logs.list.stream()
                .filter(e -> e.getFormattedMessage().equals("certificate rejected; the running one is kept")).toList();
        assertThat(rejected).as("one line per rejected content").hasSize(2).allSatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getThrowableProxy()).as("no stack trace").isNull();
        });
        assertThat(rejected.get(0).getKeyValuePairs().toString()).contains("does not belong to the certificate");
        assertThat(rejected.get(1).getKeyValuePairs().toString()).contains("no CERTIFICATE block");
    }

    private static void replaceAtomically(Path file, String content) throws java.io.IOException {
        Path tmp = Files.createTempFile(file.getParent(), "replace", ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void statusNamesTheProviderAndTheServedCertificates() throws Exception {
        start(true);
        JsonNode tls = status().get("tls");
        assertThat(tls.get("provider").asString()).isEqualTo("openssl"); // the linux-x86_64 library is shipped
        assertThat(tls.get("listen").asString()).isEqualTo("127.0.0.1:" + tlsPort());
        assertThat(tls.at("/certificates/0/hosts/0").asString()).isEqualTo("*");
        assertThat(tls.at("/certificates/0/source").asString()).isEqualTo("file:" + fallback.cert());
        assertThat(tls.at("/certificates/2/hosts/0").asString()).isEqualTo("*.b.example");
        assertThat(tls.at("/certificates/2/notAfter").asString()).isNotEmpty();
    }

    @Test
    void withoutADefaultAGeneratedSelfSignedCertificateIsServed() throws Exception {
        start(false);
        try (SSLSocket s = certs.connectTrustingAny(tlsPort(), "unknown.example")) {
            assertThat(TestCertificates.servedCn(s)).isEqualTo("teal.invalid");
        }
        assertThat(status().at("/tls/certificates/0/source").asString()).isEqualTo("self-signed");
    }

    @Test
    void jdkProviderServesTheSameWhenForced() throws Exception {
        System.setProperty("teal.tls.provider", "jdk");
        try {
            start(true);
        } finally {
            System.clearProperty("teal.tls.provider");
        }
        assertThat(status().at("/tls/provider").asString()).isEqualTo("jdk");
        assertThat(cnFor("x.b.example")).isEqualTo("wildcard-cert");
        try (SSLSocket s = certs.connect(tlsPort(), "a.example"); RawClient c = new RawClient(s)) {
            assertThat(c.get("/jdk", "a.example").text()).isEqualTo("blue\n");
        }
        assertThat(sClient("-connect", "127.0.0.1:" + tlsPort(), "-tls1_1")).contains("Cipher is (NONE)");
    }

    @Test
    void anHttp2InstallerIsOfferedH2ByAlpnAndGetsTheConnection() throws Exception {
        certs = new TestCertificates(dir);
        exact = certs.create("exact", "exact-cert", "a.example");
        CountDownLatch installed = new CountDownLatch(1);
        Http2Installer h2 = pipeline -> {
            installed.countDown();
            pipeline.addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
                    ctx.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer("h2 here",
                            java.nio.charset.StandardCharsets.US_ASCII)).addListener(
                            io.netty.channel.ChannelFutureListener.CLOSE);
                }
            });
        };
        dev.teal.gateway.Gateway g = dev.teal.gateway.Gateway.start(dev.teal.gateway.config.ConfigParser.parse("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                tls:
                  listen: 127.0.0.1:0
                  default: {cert: %s, key: %s}
                """.formatted(exact.cert(), exact.key())), "file", "test", h2);
        try {
            String port = "127.0.0.1:" + g.tlsPort();
            assertThat(sClient("-connect", port, "-alpn", "h2,http/1.1")).contains("ALPN protocol: h2");
            assertThat(installed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(sClient("-connect", port, "-alpn", "http/1.1")).contains("ALPN protocol: http/1.1");
        } finally {
            g.close();
        }
    }

    @Test
    void withoutTlsSectionThereIsNoHttpsListener() throws Exception {
        f = GatewayFixture.blueGreen("");
        assertThat(f.gateway().tlsPort()).isEqualTo(-1);
        assertThat(status().has("tls")).isFalse();
    }

    private JsonNode status() throws Exception {
        return dev.teal.contract.status.StatusJson.MAPPER.readTree(f.adminGet("/status").body());
    }
}
