package dev.teal.bench.target;

import dev.teal.bench.process.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC P-256 certificate for {@code localhost} and 127.0.0.1, made with {@code openssl req -x509}: the
 * certificate and key as PEM files (Teal, nginx) and both in one file (HAProxy's {@code crt}).
 */
public record TlsFiles(Path cert, Path key, Path combined) {
    /** The protocol versions every peer is set to: TLS 1.2 and 1.3 only, as Teal. */
    static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    public static TlsFiles generate(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path log = dir.resolve("openssl.log");
        Process p = new ProcessBuilder(Tools.require("openssl", "apt-get install openssl"), "req", "-x509",
                "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("openssl req could not make the certificate:\n" + Files.readString(log));
        }
        Path combined = dir.resolve("cert-and-key.pem");
        Files.writeString(combined, Files.readString(cert) + Files.readString(key));
        return new TlsFiles(cert, key, combined);
    }
}
