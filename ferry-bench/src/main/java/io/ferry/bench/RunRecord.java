package io.ferry.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/// One timed run of one contender, as the raw results keep it.
///
/// @param round       1-based round of the session
/// @param position    1-based position of the contender within its round (the order rotates)
/// @param contender   what ran
/// @param run         what it measured
/// @param outputBytes size of the file it wrote (0 for the limits)
/// @param loadAverage the 1-minute load average just before the run (the machine is shared)
/// @param started     when it started
record RunRecord(int round, int position, Contender contender, CommandRun run, long outputBytes, double loadAverage,
                 Instant started) {

    static final String CSV_HEADER = "round,position,id,name,compression,exit,wall_s,text_mb_s,peak_memory_mib,"
            + "peak_pss_mib,peak_rss_sum_mib,peak_shm_growth_mib,peak_processes,samples,sampling_cpu_ms,cpu_s,output_bytes,loadavg_1m,started_utc";

    double wallSeconds() {
        return run.wallNanos() / 1e9;
    }

    /// {@return megabytes (10^6 bytes) of input text per second}
    double textMegabytesPerSecond(long textBytes) {
        return textBytes / 1e6 / wallSeconds();
    }

    String csv(long textBytes) {
        return String.join(",", Integer.toString(round), Integer.toString(position), contender.id(), contender.name(),
                contender.compression(), Integer.toString(run.exitCode()), "%.3f".formatted(wallSeconds()),
                "%.1f".formatted(textMegabytesPerSecond(textBytes)), "%.1f".formatted(mib(run.peakMemoryBytes())),
                "%.1f".formatted(mib(run.peakPssBytes())), "%.1f".formatted(mib(run.peakRssSumBytes())),
                "%.1f".formatted(mib(run.peakShmGrowthBytes())),
                Integer.toString(run.peakProcesses()), Integer.toString(run.samples()),
                "%.0f".formatted(run.samplingNanos() / 1e6),
                "%.2f".formatted(run.cpuNanos() / 1e9), Long.toString(outputBytes), "%.2f".formatted(loadAverage),
                started.toString());
    }

    Map<String, Object> json(long textBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("round", round);
        m.put("position", position);
        m.put("id", contender.id());
        m.put("exit", run.exitCode());
        m.put("wall_s", round3(wallSeconds()));
        m.put("text_mb_s", round3(textMegabytesPerSecond(textBytes)));
        m.put("peak_memory_bytes", run.peakMemoryBytes());
        m.put("peak_pss_bytes", run.peakPssBytes());
        m.put("peak_rss_sum_bytes", run.peakRssSumBytes());
        m.put("peak_shm_growth_bytes", run.peakShmGrowthBytes());
        m.put("peak_processes", run.peakProcesses());
        m.put("samples", run.samples());
        m.put("sampling_cpu_ms", Math.round(run.samplingNanos() / 1e6));
        m.put("cpu_s", round3(run.cpuNanos() / 1e9));
        m.put("output_bytes", outputBytes);
        m.put("loadavg_1m", loadAverage);
        m.put("started_utc", started.toString());
        return m;
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
