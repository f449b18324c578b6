package io.ferry.bench;

import io.ferry.file.OutputFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Checks the promise of `ferry convert --memory`: the peak memory of the whole run (the ferry JVM
/// and, with `--isolation process`, its child JVMs; [ProcessTreeMemory]: Σ PSS over the process
/// tree sampled every 20 ms, shared memory counted once) stays within `--memory` plus the JVMs' own
/// baseline, and does not grow with the input.
///
/// The baseline is the *warm* run: the 5× input with `--memory 4M`, the smallest pool two
/// workers take (2 × 2 chunks of 1 MiB). It holds what a run needs besides its slots once its
/// JVMs are warm (the parser compiled, young generations used, HDF5's caches, compression buffers)
/// and next to nothing of `--memory`; a run of a one-line input, which compiles nothing, would
/// understate it by some 40 MiB. Then *5×* (five times `--memory` of text, made by `ferry
/// generate`) and *50×* (each 5× file repeated ten times, by concatenation), with `--memory`. Every set runs
/// with both isolations, uncompressed and gzip:4 + shuffle, `--runs` times, alternating; the
/// inputs are read (`cat`) before every run. The 5× and 50× files are deleted at the end unless
/// `--keep`.
///
/// ```
/// bench/memory                             # --memory 64M, 4 files, 1 run each: a table on stdout
/// bench/memory --memory 128M --runs 3 --out bench-results/memory.md
/// ```
public final class MemoryBound {
    private static final String USAGE = """
            usage: bench/memory [--memory 64M] [--files 4] [--factor 10] [--runs 1] [--work /tmp/ferry-memory]
                                [--ferry ./ferry] [--out FILE.md] [--keep]
            """;
    /// Bytes per generated line, about (5M lines ≈ 121 MB).
    private static final double LINE_BYTES = 24.2;

    public static void main(String[] args) throws Exception {
        String memory = "64M";
        int files = 4;
        int factor = 10;
        int runs = 1;
        Path work = Path.of("/tmp/ferry-memory");
        String ferry = "./ferry";
        Path out = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--memory" -> memory = args[++i];
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--factor" -> factor = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                case "--ferry" -> ferry = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--keep" -> keep = true;
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> {
                    System.err.print("memory: unknown option " + args[i] + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        long memoryBytes = bytes(memory);
        Path root = Path.of("").toAbsolutePath();
        Files.createDirectories(work.resolve("logs"));

        Map<String, List<Path>> sets = new LinkedHashMap<>();
        long linesPerFile = (long) Math.ceil(5.0 * memoryBytes / files / LINE_BYTES);
        List<Path> x5 = inputs(ferry, root, work.resolve("x5"), files, linesPerFile, 1);
        sets.put("warm", x5);
        sets.put("5x", x5);
        sets.put(factor * 5 + "x", inputs(ferry, root, work.resolve("x" + factor * 5), files, linesPerFile, factor));

        String[][] modes = {{"thread", "none"}, {"process", "none"}, {"thread", "gzip:4"}, {"process", "gzip:4"}};
        StringBuilder table = new StringBuilder();
        table.append("`ferry convert --memory ").append(memory).append("`, ").append(files)
                .append(" files, default workers; peak = max over 20 ms samples of Σ(Pss − Pss_Shmem) + max(Σ Pss_Shmem, /dev/shm growth)")
                .append(" over the process tree; median of ").append(runs).append(" run(s); ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", load average ").append(loadAverage())
                .append(" at start\n\n");
        table.append("| input | text | isolation | compression | peak MiB | peak − baseline MiB | /dev/shm MiB | processes | wall s |\n");
        table.append("|---|---:|---|---|---:|---:|---:|---:|---:|\n");
        Map<String, Long> baseline = new LinkedHashMap<>();
        Map<String, Long> at5x = new LinkedHashMap<>();
        List<String> verdicts = new ArrayList<>();
        int n = 0;
        for (var set : sets.entrySet()) {
            long textBytes = 0;
            for (Path p : set.getValue()) {
                textBytes += Files.size(p);
            }
            for (String[] m : modes) {
                String key = m[0] + "/" + m[1];
                List<CommandRun> done = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    List<String> cmd = new ArrayList<>(List.of(ferry, "convert"));
                    set.getValue().forEach(p -> cmd.add(p.toString()));
                    String mem = set.getKey().equals("warm") ? "4M" : memory;   // the baseline: see above
                    cmd.addAll(List.of("-o", work.resolve("out.h5").toString(), "--dtype", EndToEnd.DTYPE, "--isolation", m[0],
                            "--memory", mem, "--compression", m[1], "--force", "-q"));
                    if (!m[1].equals("none")) {
                        cmd.add("--shuffle");
                    }
                    readAll(set.getValue());
                    CommandRun run = CommandRun.run(cmd, root, work.resolve("logs/run" + n++), 20, 3600);
                    if (run.exitCode() != 0) {
                        throw new IllegalStateException(String.join(" ", cmd) + " exited with " + run.exitCode()
                                + "; see " + run.stderr());
                    }
                    done.add(run);
                }
                done.sort((a, b) -> Long.compare(a.peakMemoryBytes(), b.peakMemoryBytes()));
                CommandRun med = done.get(done.size() / 2);
                long peak = med.peakMemoryBytes();
                if (set.getKey().equals("warm")) {
                    baseline.put(key, peak);
                } else if (set.getKey().equals("5x")) {
                    at5x.put(key, peak);
                }
                long over = peak - baseline.get(key);
                table.append(String.format("| %s | %.0f MB | %s | %s | %.1f | %.1f | %.1f | %d | %.2f |%n", set.getKey(),
                        textBytes / 1e6, m[0], m[1].equals("none") ? "none" : m[1] + "+shuffle", mib(peak), mib(over),
                        mib(med.peakShmGrowthBytes()), med.peakProcesses(), med.wallNanos() / 1e9));
                System.err.printf("memory: %s %s: peak %.1f MiB%n", set.getKey(), key, mib(peak));
                if (!set.getKey().equals("warm")) {
                    boolean within = over <= memoryBytes;
                    String v = String.format("%s %s: peak − baseline %.1f MiB %s --memory %.0f MiB", set.getKey(), key,
                            mib(over), within ? "≤" : "EXCEEDS", mib(memoryBytes));
                    if (!set.getKey().equals("5x")) {
                        long growth = peak - at5x.get(key);
                        v += String.format("; %+.1f MiB against 5x", mib(growth));
                    }
                    verdicts.add(v);
                }
            }
        }
        table.append("\n");
        for (String v : verdicts) {
            table.append("- ").append(v).append("\n");
        }
        System.out.print(table);
        if (out != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, table);
        }
        if (!keep) {
            for (var set : sets.entrySet()) {
                for (Path p : set.getValue()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work.resolve("out.h5"));
        }
    }

    /// `files` inputs of `lines` generated lines each, repeated `times` times.
    private static List<Path> inputs(String ferry, Path root, Path dir, int files, long lines, int times)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<Path> made = new ArrayList<>();
        for (int f = 1; f <= files; f++) {
            Path p = dir.resolve("sample" + f + ".txt");
            made.add(p);
            if (Files.exists(p)) {
                continue; // reused; delete the work directory to start over
            }
            Path one = times == 1 ? p : dir.resolve("part" + f + ".txt");
            int exit = new ProcessBuilder(ferry, "generate", "-o", one.toString(), "--lines", Long.toString(lines),
                    "--seed", Integer.toString(f)).directory(root.toFile()).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("ferry generate exited with " + exit);
            }
            if (times > 1) {
                OutputFile whole = OutputFile.of(p, false, List.of(one));   // atomic: an interrupted run is not reused
                try {
                    try (OutputStream o = Files.newOutputStream(whole.createTemporary())) {
                        for (int t = 0; t < times; t++) {
                            Files.copy(one, o);
                        }
                    }
                    whole.commit();
                } finally {
                    whole.discard();
                }
                Files.delete(one);
            }
        }
        return made;
    }

    /// Puts the inputs in the page cache, as every run should start.
    private static void readAll(List<Path> files) throws IOException {
        byte[] buf = new byte[1 << 20];
        for (Path p : files) {
            try (var in = Files.newInputStream(p)) {
                while (in.read(buf) >= 0) {
                    // discard
                }
            }
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    private static long bytes(String s) {
        String t = s.trim().toUpperCase();
        long mult = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            mult = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * mult;
    }
}
