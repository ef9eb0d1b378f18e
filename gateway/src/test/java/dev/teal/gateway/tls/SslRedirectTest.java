package dev.teal.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.teal.gateway.testing.GatewayFixture;
import dev.teal.gateway.testing.RawClient;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tls.sslRedirect}: plain-HTTP requests for those hosts get {@code 308} to the same URL on https. */
class SslRedirectTest {
    @TempDir
    Path dir;
    private GatewayFixture f;
    private TestCertificates certs;

    @BeforeEach
    void start() throws Exception {
        certs = new TestCertificates(dir);
        TestCertificates.Pair a = certs.create("a", "a-cert", "a.example");
        f = new GatewayFixture();
        f.backend("blue", "blue");
        f.start("""
                listen: 127.0.0.1:0
                admin: 127.0.0.1:0
                tls:
                  listen: 127.0.0.1:0
                  default: {cert: %s, key: %s}
                  sslRedirect: [a.example, "*.b.example"]
                services:
                  shop:
                    active: blue
                    colors:
                      blue: [${blue}]
                """.formatted(a.cert(), a.key()));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void plainRequestForRedirectedHostGets308ToTheSameUrlOnHttps() throws Exception {
        int https = f.gateway().tlsPort();
        try (RawClient c = new RawClient(f.gateway().proxyPort())) {
            RawClient.Response r = c.get("/cart?item=1&x=%20", "A.example:8080");
            assertThat(r.status()).isEqualTo(308);
            assertThat(r.header("location")).isEqualTo("https://a.example:" + https + "/cart?item=1&x=%20");
            RawClient.Response wild = c.get("/", "shop.b.example"); // same keep-alive connection
            assertThat(wild.status()).isEqualTo(308);
            assertThat(wild.header("location")).isEqualTo("https://shop.b.example:" + https + "/");
            RawClient.Response other = c.get("/", "other.example");
            assertThat(other.status()).isEqualTo(200);
            assertThat(other.text()).isEqualTo("blue\n");
        }
        assertThat(f.backend("blue").requests()).as("redirected requests never reach a backend").isEqualTo(1);
    }

    @Test
    void httpsRequestForRedirectedHostIsProxied() throws Exception {
        try (SSLSocket s = certs.connect(f.gateway().tlsPort(), "a.example"); RawClient c = new RawClient(s)) {
            RawClient.Response r = c.get("/cart", "a.example");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("blue\n");
        }
    }
}
