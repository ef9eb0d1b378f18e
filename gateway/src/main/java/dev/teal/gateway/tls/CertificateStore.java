package dev.teal.gateway.tls;

import dev.teal.contract.ConfigException;
import dev.teal.contract.status.TlsStatus;
import dev.teal.gateway.config.CertificateFiles;
import dev.teal.gateway.config.HostCertificate;
import dev.teal.gateway.config.TlsSettings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.Mapping;
import java.io.IOException;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates the HTTPS listener serves, by SNI name. Every handshake reads the current {@link CertificateTable};
 * a change builds a new table and swaps it in, so open connections keep the certificate they started with and new
 * ones get the new one.
 *
 * <p>Sources: the {@code tls:} files ({@link #configure}, checked again by {@link #refreshFiles}), the Kubernetes
 * Secrets of Ingresses ({@link #useClusterCertificates}), and the default: the configured one, else a self-signed
 * certificate generated once (logged). A file pair that cannot be read, does not parse, or whose key does not match is
 * rejected with one log line per content and the certificate already served for it stays.
 */
public final class CertificateStore implements Mapping<String, SslContext> {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateStore.class);

    private final CertificateLoader loader;
    private final Map<CertificateFiles, FileEntry> files = new HashMap<>();
    private TlsSettings settings;
    private ServerCertificate selfSigned;
    private List<ServerCertificate> cluster = List.of();
    private volatile CertificateTable table;

    public CertificateStore(CertificateLoader loader) {
        this.loader = loader;
    }

    /** The certificate a client naming {@code sniHost} gets (SNI; null when it names none). */
    @Override
    public SslContext map(String sniHost) {
        return table.context(sniHost);
    }

    /** The same lookup, for tests and status. */
    public ServerCertificate lookup(String sniHost) {
        return table.lookup(sniHost);
    }

    public TlsProvider provider() {
        return loader.provider();
    }

    /** What turns PEM into certificates for this listener (Kubernetes mode loads Secrets with it). */
    public CertificateLoader loader() {
        return loader;
    }

    /**
     * Serves the certificates {@code next} names. Pairs whose files did not change are kept as they are; a pair
     * already served whose files changed into something that does not load is rejected as in {@link #refreshFiles}.
     *
     * @throws ConfigException when a pair new to {@code next} cannot be loaded; nothing changes then
     */
    public synchronized void configure(TlsSettings next) {
        Map<CertificateFiles, FileEntry> loaded = new HashMap<>();
        for (CertificateFiles f : next.allFiles()) {
            FileEntry old = files.get(f);
            byte[][] content = read(f);
            if (content == null) {
                throw new ConfigException("tls: cannot read " + f.cert() + " or " + f.key());
            }
            if (old != null && (old.sameAs(content) || old.rejected(content))) {
                loaded.put(f, old);
            } else if (old != null) {
                loaded.put(f, reloaded(f, old, content, "config"));
            } else {
                loaded.put(f, new FileEntry(content[0], content[1],
                        loader.load(content[0], content[1], List.of(), "file:" + f.cert())));
            }
        }
        files.clear();
        files.putAll(loaded);
        settings = next;
        rebuild();
    }

    /**
     * Reads every file pair again and serves those that changed; a pair that does not load is rejected with one log
     * line (once per content) and its running certificate stays.
     *
     * @param trigger what asked, for the log ({@code file change}, {@code SIGHUP}, {@code POST /reload})
     * @return the number of pairs that changed
     */
    public synchronized int refreshFiles(String trigger) {
        if (settings == null) {
            return 0;
        }
        int changed = 0;
        for (Map.Entry<CertificateFiles, FileEntry> e : files.entrySet()) {
            CertificateFiles f = e.getKey();
            FileEntry cur = e.getValue();
            byte[][] content = read(f);
            if (content == null || cur.sameAs(content) || cur.rejected(content)) {
                continue; // a missing file mid-replace is read again on the next check
            }
            FileEntry next = reloaded(f, cur, content, trigger);
            if (next != cur) {
                e.setValue(next);
                changed++;
            }
        }
        if (changed > 0) {
            rebuild();
        }
        return changed;
    }

    /** The pair loaded from {@code content}, or {@code cur} (marked rejected, logged once) when it does not load. */
    private FileEntry reloaded(CertificateFiles f, FileEntry cur, byte[][] content, String trigger) {
        try {
            ServerCertificate c = loader.load(content[0], content[1], List.of(), "file:" + f.cert());
            LOG.atInfo().addKeyValue("cert", f.cert()).addKeyValue("subject", c.subject())
                    .addKeyValue("notAfter", c.notAfter()).addKeyValue("trigger", trigger).log("certificate reloaded");
            return new FileEntry(content[0], content[1], c);
        } catch (ConfigException ex) {
            cur.reject(content);
            LOG.atError().addKeyValue("cert", f.cert()).addKeyValue("key", f.key())
                    .addKeyValue("error", ex.getMessage()).addKeyValue("trigger", trigger)
                    .log("certificate rejected; the running one is kept");
            return cur;
        }
    }

    /** Serves certificates from the cluster (Ingress TLS Secrets) beside the configured ones; files win a host. */
    public synchronized void useClusterCertificates(List<ServerCertificate> certificates) {
        cluster = List.copyOf(certificates);
        rebuild();
    }

    /** What {@code /status} shows: provider, listener, certificates (the default first). */
    public TlsStatus status(String listen) {
        TlsProvider p = loader.provider();
        return new TlsStatus(p.name(), p.version(), listen,
                table.all().stream().map(ServerCertificate::status).toList());
    }

    private void rebuild() {
        List<ServerCertificate> certs = new ArrayList<>();
        for (HostCertificate hc : settings.certificates()) {
            certs.add(files.get(hc.files()).certificate().forHosts(hc.hosts(), "file:" + hc.files().cert()));
        }
        certs.addAll(cluster);
        ServerCertificate fallback = settings.defaultCertificate() != null
                ? files.get(settings.defaultCertificate()).certificate() : selfSigned();
        table = new CertificateTable(fallback, certs);
    }

    private ServerCertificate selfSigned() {
        if (selfSigned == null) {
            SelfSignedCertificate ssc;
            try {
                long now = System.currentTimeMillis();
                ssc = new SelfSignedCertificate("teal.invalid", new java.util.Date(now - 3_600_000L),
                        new java.util.Date(now + 365L * 86_400_000L), "EC", 256);
            } catch (CertificateException e) {
                throw new ConfigException("tls: no default certificate configured and none could be generated ("
                        + e.getMessage() + "); set tls.default");
            }
            try {
                selfSigned = loader.load(Files.readAllBytes(ssc.certificate().toPath()),
                        Files.readAllBytes(ssc.privateKey().toPath()), List.of(), "self-signed");
            } catch (IOException e) {
                throw new ConfigException("tls: cannot read the generated self-signed certificate: " + e.getMessage());
            } finally {
                ssc.delete();
            }
            LOG.atWarn().addKeyValue("subject", selfSigned.subject()).addKeyValue("notAfter", selfSigned.notAfter())
                    .log("no default certificate configured: serving a generated self-signed one to hosts without"
                            + " their own");
        }
        return selfSigned;
    }

    private static byte[][] read(CertificateFiles f) {
        try {
            return new byte[][] {Files.readAllBytes(f.cert()), Files.readAllBytes(f.key())};
        } catch (IOException e) {
            return null;
        }
    }

    /** A loaded pair, the bytes it came from, and the last content that was rejected (reported once). */
    private static final class FileEntry {
        private final byte[] cert;
        private final byte[] key;
        private final ServerCertificate certificate;
        private byte[][] rejected;

        FileEntry(byte[] cert, byte[] key, ServerCertificate certificate) {
            this.cert = cert;
            this.key = key;
            this.certificate = certificate;
        }

        ServerCertificate certificate() {
            return certificate;
        }

        boolean sameAs(byte[][] content) {
            return Arrays.equals(cert, content[0]) && Arrays.equals(key, content[1]);
        }

        boolean rejected(byte[][] content) {
            return rejected != null && Arrays.equals(rejected[0], content[0]) && Arrays.equals(rejected[1], content[1]);
        }

        void reject(byte[][] content) {
            rejected = content;
        }
    }
}
