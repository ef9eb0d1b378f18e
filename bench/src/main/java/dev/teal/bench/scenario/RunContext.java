package dev.teal.bench.scenario;

import dev.teal.bench.process.Cpus;
import dev.teal.bench.target.Targets;
import java.nio.file.Path;
import java.util.List;

/**
 * What every scenario gets: quick or full mode, the targets asked for, core pinning, the settings targets need, a work
 * directory for child processes' configs and logs, and the command line to record.
 */
public record RunContext(boolean quick, List<String> targets, Cpus cpus, Targets.Settings settings, Path workDir,
        String command) {}
