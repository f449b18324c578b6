package io.ferry.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Fast from the first millisecond and on one file (issue 22's rows): each group's contenders
/// timed in one session, alternating, inputs in page cache, and each group's ratio to its
/// baseline, so that the figures hold within a run on a machine whose speed moves.
///
/// - **one file**: `ferry load -o x.npy` of the first input against `ferry convert` of it and
///   against `np.loadtxt` + `np.save` (Python's start and imports included, as the JVM's start is),
///   and, where its JDBC driver is in the local Maven repository (`bench/one-file` fetches it),
///   DuckDB's CSV reader loading the file into a table ([DuckDbLoad]).
/// - **start-up**: `ferry convert` of a one-line file against `java -version` of the same JDK.
/// - **balance**: the first input alone against it plus three files of a fiftieth of its lines.
/// - **gzip**: the first input as plain text, gzip (`gzip -6`) and, where `bgzip` is installed,
///   BGZF, each converted with two workers.
///
/// ```
/// bench/one-file --lines 200000 --runs 3     # a smoke test
/// bench/one-file                              # 5M lines, 3 runs each
/// ```
public final class OneFileBench {
    /// A timed command, and the contender of its group it is compared to.
    private record Run(String group, String name, List<String> command, String baseline) {
    }

    private OneFileBench() {
    }

    public static void main(String[] args) throws Exception {
        EndToEndOptions o;
        try {
            o = EndToEndOptions.parse(args);
        } catch (EndToEndOptions.UsageException e) {
            System.err.println(e.getMessage() == null ? "" : "one-file: " + e.getMessage());
            System.err.print(EndToEndOptions.USAGE.replace("bench/e2e", "bench/one-file")
                    .replace("io.ferry.bench.EndToEnd", "io.ferry.bench.OneFileBench"));
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        Path work = o.work().toAbsolutePath();
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        InputTables inputs = InputTables.prepare(o);
        Path big = inputs.files().getFirst();
        List<Path> small = smallInputs(o, work, logs);
        Path oneLine = Files.writeString(work.resolve("one-line.txt"), InputTables.firstLine(big) + "\n");
        Path gz = compressed(List.of("gzip", "-6", "-c", big.toString()), work.resolve("big.txt.gz"), logs);
        Path bgzf = compressed(List.of("bgzip", "-c", big.toString()), work.resolve("big.txt.bgz"), logs);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("one file", "ferry-load-npy", ferry(o, "load", big, "-n", "0", "-o", out(work, "x.npy"), "--force"), "ferry-load-npy"));
        runs.add(new Run("one file", "ferry-convert", convert(o, work, List.of(big)), "ferry-load-npy"));
        runs.add(new Run("one file", "numpy-loadtxt-save", List.of(o.python(), "-c", """
                import sys, numpy as np
                dt = np.dtype([('chr', 'S10'), ('pos', '<i4'), ('pct', '<f4'), ('c', '<i4'), ('t', '<i4')])
                np.save(sys.argv[2], np.loadtxt(sys.argv[1], dtype=dt, delimiter='\\t', ndmin=1))
                """, big.toString(), out(work, "numpy.npy")), "ferry-load-npy"));
        Path duckdb = duckDbDriver();
        if (duckdb != null) {
            runs.add(new Run("one file", "duckdb-read-csv", List.of(java, "-cp", System.getProperty("java.class.path")
                    + File.pathSeparator + duckdb, DuckDbLoad.class.getName(), big.toString()), "ferry-load-npy"));
        } else {
            System.err.println("one-file: DuckDB left out: no " + DUCKDB_JAR + " in the local Maven repository (fetch it with"
                    + " mvn dependency:get -Dartifact=org.duckdb:duckdb_jdbc:" + DUCKDB_VERSION + " -Dtransitive=false)");
        }
        runs.add(new Run("start-up", "java-version", List.of(java, "-version"), "java-version"));
        runs.add(new Run("start-up", "ferry-convert-one-line", convert(o, work, List.of(oneLine)), "java-version"));
        List<Path> mixed = new ArrayList<>(List.of(big));
        mixed.addAll(small);
        runs.add(new Run("balance", "convert-big", convert(o, work, List.of(big)), "convert-big"));
        runs.add(new Run("balance", "convert-big+3-small", convert(o, work, mixed), "convert-big"));
        runs.add(new Run("gzip", "convert-text-w2", withWorkers(convert(o, work, List.of(big))), "convert-text-w2"));
        if (gz != null) {
            runs.add(new Run("gzip", "convert-gzip-w2", withWorkers(convert(o, work, List.of(gz))), "convert-text-w2"));
        }
        if (bgzf != null) {
            runs.add(new Run("gzip", "convert-bgzf-w2", withWorkers(convert(o, work, List.of(bgzf))), "convert-text-w2"));
        }
        runs = runs.stream().filter(r -> o.only().isEmpty() || o.only().stream().anyMatch(r.name()::contains)).toList();

        List<String> cached = new ArrayList<>(List.of("/bin/sh", "-c", "sync; cat \"$@\" > /dev/null", "cat"));
        cached.addAll(mixed.stream().map(Path::toString).toList());
        for (Path p : new Path[]{gz, bgzf}) {
            if (p != null) {
                cached.add(p.toString());
            }
        }
        String loadStart = Files.readString(Path.of("/proc/loadavg")).strip();
        Map<String, List<CommandRun>> times = new LinkedHashMap<>();
        runs.forEach(r -> times.put(r.name(), new ArrayList<>()));
        for (int round = 1; round <= o.runs(); round++) {
            for (int k = 0; k < runs.size(); k++) {
                Run r = runs.get((k + round - 1) % runs.size()); // a new order every round
                CommandRun.quiet(cached, o.root(), logs.resolve("prepare"), o.timeoutSeconds());
                CommandRun c = CommandRun.run(r.command(), o.root(), logs.resolve("one-file-" + r.name() + "-run" + round),
                        o.sampleMillis(), o.timeoutSeconds());
                System.err.printf("one-file: round %d/%d %-24s %7.3f s %6.0f MiB peak %6.2f s CPU%s%n", round, o.runs(), r.name(),
                        c.wallNanos() / 1e9, RunRecord.mib(c.peakMemoryBytes()), c.cpuNanos() / 1e9,
                        c.exitCode() == 0 ? "" : "  FAILED (exit " + c.exitCode() + ", " + c.stderr() + ")");
                times.get(r.name()).add(c);
            }
        }
        String md = report(o, inputs, small, runs, times, loadStart);
        Files.createDirectories(o.out());
        Files.writeString(o.out().resolve("one-file.md"), md);
        System.out.print(md);
    }

    /// The DuckDB JDBC driver the DuckDB contender runs, from Maven Central.
    static final String DUCKDB_VERSION = "2.0.0.1";
    private static final String DUCKDB_JAR = "org/duckdb/duckdb_jdbc/" + DUCKDB_VERSION + "/duckdb_jdbc-" + DUCKDB_VERSION + ".jar";

    /// {@return the DuckDB JDBC driver in the local Maven repository}, or null when it is not there
    private static Path duckDbDriver() {
        String repo = System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository");
        Path jar = Path.of(repo).resolve(DUCKDB_JAR);
        return Files.isRegularFile(jar) ? jar : null;
    }

    private static List<String> ferry(EndToEndOptions o, String command, Path input, String... more) {
        List<String> c = new ArrayList<>(o.ferry());
        c.addAll(List.of(command, input.toString(), "--dtype", EndToEnd.DTYPE, "--delimiter", "\\t"));
        c.addAll(List.of(more));
        return c;
    }

    private static List<String> convert(EndToEndOptions o, Path work, List<Path> inputs) {
        List<String> c = new ArrayList<>(o.ferry());
        c.add("convert");
        inputs.forEach(p -> c.add(p.toString()));
        c.addAll(List.of("-o", out(work, "x.h5"), "--dtype", EndToEnd.DTYPE, "--force", "--quiet"));
        o.ferryWorkers().ifPresent(w -> c.addAll(List.of("--workers", Integer.toString(w))));
        return c;
    }

    private static List<String> withWorkers(List<String> convert) {
        List<String> c = new ArrayList<>(convert);
        int at = c.indexOf("--workers");
        if (at >= 0) {
            c.subList(at, at + 2).clear();
        }
        c.addAll(List.of("--workers", "2"));
        return c;
    }

    private static String out(Path work, String name) {
        return work.resolve("outputs").resolve(name).toString();
    }

    /// {@return three inputs of a fiftieth of the first's lines}, made once
    private static List<Path> smallInputs(EndToEndOptions o, Path work, Path logs) throws IOException, InterruptedException {
        Files.createDirectories(work.resolve("outputs"));
        long lines = Math.max(1, o.lines() / 50);
        List<Path> small = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path f = work.resolve("small-" + lines + "-" + i + ".txt");
            if (!Files.isRegularFile(f)) {
                List<String> gen = new ArrayList<>(o.ferry());
                gen.addAll(List.of("generate", "--lines", Long.toString(lines), "--seed", Integer.toString(100 + i), "-o", f.toString(), "--force"));
                if (CommandRun.quiet(gen, o.root(), logs.resolve("generate-small-" + i), o.timeoutSeconds()) != 0) {
                    throw new IOException("could not generate " + f + ": see " + logs);
                }
            }
            small.add(f);
        }
        return small;
    }

    /// {@return `target`, written by `command`'s standard output}, or null when the tool is missing
    private static Path compressed(List<String> command, Path target, Path logs) throws IOException, InterruptedException {
        if (Files.isRegularFile(target) && Files.size(target) > 0) {
            return target;
        }
        try {
            Process p = new ProcessBuilder(command).redirectOutput(target.toFile())
                    .redirectError(logs.resolve(target.getFileName() + ".err").toFile()).start();
            if (p.waitFor() == 0) {
                return target;
            }
        } catch (IOException missing) {
            // the tool is not installed: the row is left out
        }
        Files.deleteIfExists(target);
        return null;
    }

    private static String report(EndToEndOptions o, InputTables inputs, List<Path> small, List<Run> runs,
                                 Map<String, List<CommandRun>> times, String loadStart) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("Input: ").append(inputs.linesPerFile()).append(" lines (").append(Files.size(inputs.files().getFirst()) / 1_000_000)
                .append(" MB), three of ").append(InputTables.countLines(small.getFirst())).append(" lines beside it; ")
                .append(o.runs()).append(" runs each, alternating; ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, load ").append(loadStart)
                .append(" at the start.\n\n");
        b.append("| group | contender | median s | min–max s | peak memory MiB | CPU s | ÷ baseline |\n");
        b.append("|---|---|--:|--:|--:|--:|--:|\n");
        for (Run r : runs) {
            List<CommandRun> good = times.get(r.name()).stream().filter(c -> c.exitCode() == 0).toList();
            b.append("| ").append(r.group()).append(" | ").append(r.name()).append(" | ");
            if (good.isEmpty()) {
                b.append("(failed: see the logs) | | | | |\n");
                continue;
            }
            double med = median(good.stream().mapToDouble(c -> c.wallNanos() / 1e9).toArray());
            List<CommandRun> base = times.getOrDefault(r.baseline(), List.of()).stream().filter(c -> c.exitCode() == 0).toList();
            String ratio = base.isEmpty() || r.baseline().equals(r.name()) ? "1"
                    : "%.2f".formatted(med / median(base.stream().mapToDouble(c -> c.wallNanos() / 1e9).toArray()));
            b.append("%.3f | %.3f–%.3f | %.0f | %.2f | %s |\n".formatted(med,
                    good.stream().mapToDouble(c -> c.wallNanos() / 1e9).min().orElseThrow(),
                    good.stream().mapToDouble(c -> c.wallNanos() / 1e9).max().orElseThrow(),
                    RunRecord.mib((long) median(good.stream().mapToDouble(CommandRun::peakMemoryBytes).toArray())),
                    median(good.stream().mapToDouble(c -> c.cpuNanos() / 1e9).toArray()), ratio));
        }
        b.append("""

                Wall time of the whole process (the JVM's or Python's start included), inputs read into page
                cache and `sync` just before each run; ÷ baseline: over the first contender of its group.
                """);
        return b.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
