package dev.teal.gateway.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for one test by the {@code openssl} CLI (valid two days: nothing checked in expires), and a JDK
 * TLS client that trusts exactly them.
 */
public final class TestCertificates {
    private final Path dir;
    private final List<java.security.cert.Certificate> trusted = new ArrayList<>();

    public TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** A self-signed EC certificate for {@code cn} naming {@code hosts} (SAN); files {@code name.crt}, {@code name.key}. */
    public Pair create(String name, String cn, String... hosts) throws IOException, InterruptedException {
        Path crt = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        generate(crt, key, cn, hosts);
        trust(crt);
        return new Pair(crt, key);
    }

    /** Writes a new certificate and key over {@code pair}'s files (each replaced atomically, the key first). */
    void replace(Pair pair, String cn, String... hosts) throws IOException, InterruptedException {
        Path crt = Files.createTempFile(dir, "new", ".crt");
        Path key = Files.createTempFile(dir, "new", ".key");
        generate(crt, key, cn, hosts);
        trust(crt);
        Files.move(key, pair.key(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(crt, pair.cert(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void trust(Path crt) throws IOException {
        try (InputStream in = Files.newInputStream(crt)) {
            trusted.add(CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (java.security.cert.CertificateException e) {
            throw new IOException(e);
        }
    }

    private static void generate(Path crt, Path key, String cn, String... hosts)
            throws IOException, InterruptedException {
        StringBuilder san = new StringBuilder("subjectAltName=");
        for (int i = 0; i < hosts.length; i++) {
            san.append(i == 0 ? "" : ",").append("DNS:").append(hosts[i]);
        }
        List<String> cmd = new ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-keyout", key.toString(), "-out", crt.toString()));
        if (hosts.length > 0) {
            cmd.addAll(List.of("-addext", san.toString()));
        }
        run(cmd);
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " did not finish");
        }
        if (p.exitValue() != 0 && cmd.get(0).equals("openssl") && cmd.get(1).equals("req")) {
            throw new IOException("openssl failed: " + out);
        }
        return out;
    }

    /** A TLS 1.2/1.3 client context trusting every certificate made here so far. */
    public SSLContext clientContext() throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (java.security.cert.Certificate c : trusted) {
            ks.setCertificateEntry("c" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A handshaken TLS connection to 127.0.0.1:port naming {@code sni} (null: no SNI). */
    public SSLSocket connect(int port, String sni) throws Exception {
        return connect(clientContext(), port, sni);
    }

    /** As {@link #connect}, trusting any certificate: to look at one the test did not make (self-signed). */
    public SSLSocket connectTrustingAny(int port, String sni) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return connect(ctx, port, sni);
    }

    private static SSLSocket connect(SSLContext ctx, int port, String sni) throws Exception {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        s.setSoTimeout(10_000);
        SSLParameters params = s.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    /** The subject CN of the certificate the server presented on {@code s}. */
    public static String servedCn(Socket s) throws Exception {
        X509Certificate leaf = (X509Certificate) ((SSLSocket) s).getSession().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName().replace("CN=", "");
    }

    public record Pair(Path cert, Path key) {
    }
}
