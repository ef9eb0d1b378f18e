package dev.teal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real process in cluster mode, started through {@link Main} as the image starts it. */
class ClusterModeShutdownTest {

    /**
     * The API server cannot be reached, so the gateway is still waiting for its first sync (up to 10 s) when SIGTERM
     * arrives: the handler is already in place, so the stop is graceful and the exit code 0 (a JVM without it exits
     * 143).
     */
    @Test
    void sigtermDuringTheWaitForTheFirstSyncStopsGracefullyWithExitCodeZero(@TempDir Path dir) throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: gone, cluster: {server: "http://127.0.0.1:%d"}}]
                users: [{name: gateway, user: {token: gateway}}]
                contexts: [{name: gone, context: {cluster: gone, user: gateway, namespace: default}}]
                current-context: gone
                """.formatted(dead));
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, "listen: 127.0.0.1:0\nadmin: 127.0.0.1:0\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("out.log");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.teal.gateway.Main", "--kubernetes", "--config", config.toString(),
                "--snapshot-file", dir.resolve("snapshot.json").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        pb.environment().remove("KUBERNETES_SERVICE_HOST");
        Process p = pb.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("gateway started"));
            assertThat(Files.readString(log)).doesNotContain("API server not reachable at start");
            p.destroy(); // SIGTERM, while ClusterGateway.start still waits for the first sync
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            assertThat(Files.readString(log)).contains("shutdown started", "shutdown complete")
                    .doesNotContain("API server not reachable at start");
        } finally {
            p.destroyForcibly();
        }
    }
}
