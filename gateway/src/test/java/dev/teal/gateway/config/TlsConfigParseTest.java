package dev.teal.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.teal.contract.ConfigException;
import dev.teal.contract.HostPort;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code tls:} section: typed records, strict keys, errors that name the path. */
class TlsConfigParseTest {

    @Test
    void tlsSectionParsesIntoRecords() {
        GatewayConfig c = ConfigParser.parse("""
                tls:
                  listen: 0.0.0.0:8443
                  default: {cert: /etc/tls/default.crt, key: /etc/tls/default.key}
                  certificates:
                    - hosts: [A.example, "*.b.example"]
                      cert: /etc/tls/a.crt
                      key: /etc/tls/a.key
                """);
        TlsSettings t = c.tls();
        assertThat(t.listen()).isEqualTo(HostPort.parse("0.0.0.0:8443"));
        assertThat(t.defaultCertificate()).isEqualTo(
                new CertificateFiles(Path.of("/etc/tls/default.crt"), Path.of("/etc/tls/default.key")));
        assertThat(t.certificates()).hasSize(1);
        assertThat(t.certificates().get(0).hosts()).containsExactly("a.example", "*.b.example");
        assertThat(t.allFiles()).hasSize(2);
    }

    @Test
    void withoutTlsSectionThereIsNone() {
        assertThat(ConfigParser.parse("listen: 0.0.0.0:8080\n").tls()).isNull();
    }

    @Test
    void errorsNameThePath() {
        assertError("tls: {listen: 0.0.0.0:8443, port: 1}\n", "tls.port: unknown key");
        assertError("tls: {certificates: []}\n", "tls.listen: required");
        assertError("tls: {listen: 0.0.0.0:8443, default: {cert: /a}}\n", "tls.default.key: required");
        assertError("tls: {listen: 0.0.0.0:8443, certificates: [{hosts: [], cert: /a, key: /b}]}\n",
                "tls.certificates[0]: hosts: at least one host");
        assertError("tls: {listen: 0.0.0.0:8443, certificates: [{hosts: ['a b'], cert: /a, key: /b}]}\n",
                "tls.certificates[0].hosts[0]: 'a b' is not a valid host name");
        assertError("tls: {listen: 0.0.0.0:8443, certificates: [{hosts: [a.example], cert: /a, key: /b},"
                + " {hosts: [a.example], cert: /c, key: /d}]}\n", "'a.example' is in an earlier entry too");
        assertError("listen: 0.0.0.0:8443\ntls: {listen: 0.0.0.0:8443}\n", "tls.listen must differ");
    }

    private static void assertError(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigParser.parse(yaml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected);
    }
}
