package dev.teal.bench.scenario;

import dev.teal.bench.target.TealTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Where and how a result was measured; part of every result JSON. */
public record RunInfo(
        String scenario,
        boolean quick,
        String startedAt,
        String finishedAt,
        int cores,
        String cpuModel,
        String kernel,
        String java,
        String pinning,
        List<String> gatewayJvmFlags,
        String command) {

    static RunInfo start(String scenario, RunContext ctx) {
        return new RunInfo(scenario, ctx.quick(), Instant.now().toString(), null,
                Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                ctx.cpus().describe(), TealTarget.JVM_FLAGS, ctx.command());
    }

    RunInfo finished() {
        return new RunInfo(scenario, quick, startedAt, Instant.now().toString(), cores, cpuModel, kernel, java, pinning,
                gatewayJvmFlags, command);
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
