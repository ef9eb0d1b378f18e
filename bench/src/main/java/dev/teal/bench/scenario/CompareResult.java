package dev.teal.bench.scenario;

import dev.teal.bench.load.WrkResult;
import dev.teal.bench.profile.TargetProfile;
import java.util.List;

/**
 * {@code compare}: every wrk run, and one row per (body, connections, target). {@code profiles} (null without
 * {@code --profile}): per cell and target, bytes allocated and system calls per request; {@code profileUnavailable}:
 * why some of those figures could not be measured on this machine (empty when all could).
 */
public record CompareResult(RunInfo info, int rounds, int durationSeconds, int warmupSeconds, int nginxKeepalive,
        List<Run> runs, List<Row> rows, List<TargetProfile> profiles, List<String> profileUnavailable) {

    /** One measured wrk run. */
    public record Run(String body, int connections, int round, String target, WrkResult wrk) {}

    /**
     * Medians over the rounds (requests/s with its min and max; p50 and p99 in microseconds); errors summed; ratios of
     * the median requests/s to {@code direct}'s and {@code nginx}'s in the same cell (null when that target was not
     * run).
     */
    public record Row(String body, int connections, String target, double rps, double rpsMin, double rpsMax,
            long p50Us, long p99Us, long errors, long requests, Double vsDirect, Double vsNginx) {}
}
