package io.ferry.bench;

import io.ferry.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// The Python package against what Python users run today, from Python, inputs in page cache:
/// `ferry.loadtxt` against `np.loadtxt` and `pandas.read_csv` on the first input, and
/// `ferry.load_many` against the classic recipe (a Process per file, and Pool.map) on all of them,
/// a loadtxt call per file one after another (numpy's, ferry's, a `ferry.Session`'s),
/// every mode ending with its arrays in the Python process
/// ([`python/python_api.py`](../../../../../../python/python_api.py)). Same inputs, options,
/// alternation, page-cache preparation and memory measure (Σ PSS of the process tree, /dev/shm
/// included) as [EndToEnd]; each contender's arrays are checked once, untimed, to hash to the
/// same bytes as numpy's.
///
/// ```
/// bench/python-api --lines 200000 --runs 3     # a smoke test
/// bench/python-api                              # 4 × 5M lines, 3 runs each
/// ```
public final class PythonApiBench {
    /// A mode of python_api.py, and whether it reads all the inputs or the first.
    private record Mode(String name, boolean allFiles, String baseline) {
    }

    private static final List<Mode> MODES = List.of(
            new Mode("loadtxt-numpy", false, "loadtxt-ferry"),
            new Mode("loadtxt-pandas", false, "loadtxt-ferry"),
            new Mode("loadtxt-ferry", false, "loadtxt-ferry"),
            new Mode("many-recipe-process", true, "many-ferry"),
            new Mode("many-recipe-pool", true, "many-ferry"),
            new Mode("many-ferry", true, "many-ferry"),
            new Mode("each-numpy", true, "each-ferry-session"),
            new Mode("each-ferry", true, "each-ferry-session"),
            new Mode("each-ferry-jvm", true, "each-ferry-session"),
            new Mode("each-ferry-session", true, "each-ferry-session"));

    private PythonApiBench() {
    }

    public static void main(String[] args) throws Exception {
        EndToEndOptions o;
        try {
            o = EndToEndOptions.parse(args);
        } catch (EndToEndOptions.UsageException e) {
            System.err.println(e.getMessage() == null ? "" : "python-api: " + e.getMessage());
            System.err.print(EndToEndOptions.USAGE.replace("bench/e2e", "bench/python-api")
                    .replace("io.ferry.bench.EndToEnd", "io.ferry.bench.PythonApiBench"));
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        Path logs = o.work().toAbsolutePath().resolve("logs");
        Files.createDirectories(logs);
        InputTables inputs = InputTables.prepare(o);
        Path script = o.root().resolve("ferry-bench/python/python_api.py");
        String pythonPath = "PYTHONPATH=" + o.root().resolve("python") + ":" + o.root().resolve("ferry-bench/python");
        // The Python code byte-compiled first, as `pip install` leaves a package and as Python
        // leaves one on PYTHONPATH at its first import (unless PYTHONDONTWRITEBYTECODE is set, as
        // it may be where this runs): numpy's and pandas' modules come compiled from Debian, and
        // compiling the ferry package's at every import added 10-15 ms to each of its runs.
        int compiled = CommandRun.quiet(List.of(o.python(), "-m", "compileall", "-q", o.root().resolve("python/ferry").toString(),
                script.getParent().toString()), o.root(), logs.resolve("compileall"), o.timeoutSeconds());
        if (compiled != 0) {
            System.err.println("python-api: compileall failed (exit " + compiled + "); the runs compile the modules as they import them");
        }

        List<Mode> modes = MODES.stream().filter(m -> o.only().isEmpty() || o.only().stream().anyMatch(m.name()::contains)).toList();
        Map<String, List<CommandRun>> runs = new LinkedHashMap<>();
        Map<String, String> checks = new LinkedHashMap<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        modes.forEach(m -> runs.put(m.name(), new ArrayList<>()));
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        String loadStart = load[0] + " " + load[1] + " " + load[2];
        for (int round = 1; round <= o.runs(); round++) {
            for (int k = 0; k < modes.size(); k++) {
                Mode m = modes.get((k + round - 1) % modes.size());
                List<String> files = files(inputs, m);
                List<String> cat = new ArrayList<>(List.of("/bin/sh", "-c", "sync; cat \"$@\" > /dev/null", "cat"));
                cat.addAll(files);
                CommandRun.quiet(cat, o.root(), logs.resolve("prepare"), o.timeoutSeconds());
                List<String> cmd = new ArrayList<>(List.of("env", pythonPath, o.python(), script.toString(), m.name()));
                cmd.addAll(files);
                CommandRun r = CommandRun.run(cmd, o.root(), logs.resolve("pyapi-" + m.name() + "-run" + round),
                        o.sampleMillis(), o.timeoutSeconds());
                System.err.printf("python-api: round %d/%d %-22s %7.2f s %6.0f MiB peak %6.1f s CPU%s%n", round, o.runs(),
                        m.name(), r.wallNanos() / 1e9, RunRecord.mib(r.peakMemoryBytes()), r.cpuNanos() / 1e9,
                        r.exitCode() == 0 ? "" : "  FAILED (exit " + r.exitCode() + ", " + r.stderr() + ")");
                runs.get(m.name()).add(r);
                if (!checks.containsKey(m.name())) {
                    List<String> check = new ArrayList<>(cmd);
                    check.add(5, "--check");
                    Path log = logs.resolve("pyapi-check-" + m.name());
                    int exit = CommandRun.quiet(check, o.root(), log, o.timeoutSeconds());
                    String said = Files.readString(Path.of(log + ".out")).strip();
                    Object sha = exit == 0 ? Json.asObject(Json.parse(said), "check").get("sha256") : null;
                    hashes.put(m.name(), String.valueOf(sha));
                    checks.put(m.name(), exit == 0 ? "sha256 " + String.valueOf(sha).substring(0, 12) : "failed: exit " + exit);
                }
            }
        }
        String md = report(o, inputs, modes, runs, checks, hashes, loadStart);
        Files.createDirectories(o.out());
        Files.writeString(o.out().resolve("python-api.md"), md);
        System.out.print(md);
    }

    private static List<String> files(InputTables inputs, Mode m) {
        List<Path> fs = m.allFiles() ? inputs.files() : inputs.files().subList(0, 1);
        return fs.stream().map(Path::toString).toList();
    }

    private static String report(EndToEndOptions o, InputTables inputs, List<Mode> modes, Map<String, List<CommandRun>> runs,
                                 Map<String, String> checks, Map<String, String> hashes, String loadStart) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("Inputs: ").append(inputs.files().size()).append(" files × ").append(inputs.linesPerFile())
                .append(" lines (the loadtxt rows read the first); ").append(o.runs()).append(" runs per contender, alternating; ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, load ").append(loadStart).append(" at the start.\n\n");
        b.append("| contender | files | median s | min–max s | text MB/s | peak memory MiB | of it /dev/shm MiB | CPU s | time ÷ ferry | arrays |\n");
        b.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
        for (Mode m : modes) {
            List<CommandRun> good = runs.get(m.name()).stream().filter(r -> r.exitCode() == 0).toList();
            b.append("| ").append(m.name()).append(" | ").append(m.allFiles() ? inputs.files().size() : 1).append(" | ");
            if (good.isEmpty()) {
                b.append("(failed: see the logs) | | | | | | | |\n");
                continue;
            }
            long text = 0;
            for (String f : files(inputs, m)) {
                text += Files.size(Path.of(f));
            }
            double med = median(good.stream().mapToDouble(r -> r.wallNanos() / 1e9).toArray());
            List<CommandRun> base = runs.getOrDefault(m.baseline(), List.of()).stream().filter(r -> r.exitCode() == 0).toList();
            String ratio = base.isEmpty() ? "—" : "%.2f".formatted(med / median(base.stream().mapToDouble(r -> r.wallNanos() / 1e9).toArray()));
            String same = hashes.get(m.name()).equals(hashes.get(m.allFiles() ? "many-recipe-process" : "loadtxt-numpy"))
                    || !hashes.containsKey(m.allFiles() ? "many-recipe-process" : "loadtxt-numpy") ? "" : " DIFFERS";
            b.append("%.2f | %.2f–%.2f | %.0f | %.0f | %.0f | %.1f | %s | %s%s |\n".formatted(med,
                    good.stream().mapToDouble(r -> r.wallNanos() / 1e9).min().orElseThrow(),
                    good.stream().mapToDouble(r -> r.wallNanos() / 1e9).max().orElseThrow(), text / 1e6 / med,
                    RunRecord.mib((long) median(good.stream().mapToDouble(CommandRun::peakMemoryBytes).toArray())),
                    RunRecord.mib((long) median(good.stream().mapToDouble(CommandRun::peakShmGrowthBytes).toArray())),
                    median(good.stream().mapToDouble(r -> r.cpuNanos() / 1e9).toArray()), ratio, checks.get(m.name()), same));
        }
        b.append("""

                Wall time from the interpreter's start to its exit (imports, Ferry's JVM included), inputs
                read into page cache and `sync` just before each run. Every contender ends with its arrays in
                the Python process (the recipe's parent maps every child's segment). Peak memory: Σ PSS of
                the process tree (shared pages once) + segments waiting in /dev/shm, median of the runs'
                peaks. Time ÷ ferry: over ferry.loadtxt's (one file), ferry.load_many's (all files at once) or
                a ferry.Session's (`each-`: a loadtxt call per file, one after another) median.
                `arrays`: the sha256 of the arrays' bytes, the same for every contender of a group.
                """);
        return b.toString();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
