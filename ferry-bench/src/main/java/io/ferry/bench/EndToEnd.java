package io.ferry.bench;

import io.ferry.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The end-to-end benchmark: converts the same generated text tables into one HDF5 file with the
/// classic Python recipe (np.loadtxt in a Process per file or a Pool, SharedMemory, h5py), with
/// pandas, and with `ferry convert` (threads and child processes), uncompressed and with gzip 4 +
/// shuffle, beside the machine's limits (reading the text from page cache, writing the output's
/// bytes to disk). Every contender runs `--runs` times, alternating, in one session.
///
/// A contender whose probe or run fails (today: `ferry convert`, which is not written yet) gets a
/// "(not available: …)" row and the session goes on, so the harness picks Ferry up once it exists.
///
/// ```
/// bench/e2e --lines 200000 --runs 3 --only recipe,pandas,limit     # a smoke test
/// bench/e2e                                                        # 4 × 5M lines, everyone
/// ```
public final class EndToEnd {
    /// The table's dtype, as `ferry convert --dtype` takes it.
    static final String DTYPE = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";
    /// Bytes per record of that dtype (numpy's packed layout): 10 + 4 × 4.
    static final int RECORD_BYTES = 26;

    private final EndToEndOptions o;
    private final Path logs;
    private final Path outputs;
    private final Map<List<String>, Optional<String>> probes = new HashMap<>();
    private final Map<String, Object> environment = new LinkedHashMap<>();

    private EndToEnd(EndToEndOptions o) {
        this.o = o;
        this.logs = o.work().toAbsolutePath().resolve("logs");
        this.outputs = o.work().toAbsolutePath().resolve("outputs");
    }

    public static void main(String[] args) throws Exception {
        EndToEndOptions o;
        try {
            o = EndToEndOptions.parse(args);
        } catch (EndToEndOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.print(EndToEndOptions.USAGE);
                return;
            }
            System.err.println("e2e: " + e.getMessage());
            System.err.print(EndToEndOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(o.root().resolve("ferry-bench/python/recipe.py"))) {
            System.err.println("e2e: " + o.root() + " is not the Ferry repository root (no ferry-bench/python/recipe.py);"
                    + " run from the root or pass --root DIR");
            System.exit(2);
        }
        try {
            System.out.print(new EndToEnd(o).session());
        } catch (IllegalStateException e) {
            System.err.println("e2e: " + e.getMessage());
            System.exit(1);
        }
    }

    private String session() throws IOException, InterruptedException {
        Files.createDirectories(logs);
        Files.createDirectories(outputs);
        describeMachine();
        InputTables inputs = InputTables.prepare(o);
        environment.put("first_line", InputTables.firstLine(inputs.files().getFirst()));

        List<ContenderResults> results = new ArrayList<>();
        for (Contender c : contenders(inputs)) {
            if (o.only().isEmpty() || o.only().stream().anyMatch(c.id()::contains)) {
                results.add(new ContenderResults(c));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("--only " + String.join(",", o.only()) + " matches no contender");
        }
        for (ContenderResults r : results) {
            probe(r.contender()).ifPresent(r::markUnavailable);
        }
        for (int round = 1; round <= o.runs(); round++) {
            int position = 0;
            for (int k = 0; k < results.size(); k++) {
                // rotate the order every round, so no contender always follows the same one
                ContenderResults r = results.get((k + round - 1) % results.size());
                if (r.unavailable().isEmpty()) {
                    runOnce(r, round, ++position, inputs);
                }
            }
        }
        environment.put("loadavg_end", loadAverageText());
        return new ResultReport(environment, inputs, results, o.runs()).write(o.out());
    }

    private List<Contender> contenders(InputTables inputs) {
        List<String> files = inputs.files().stream().map(Path::toString).toList();
        long outBytes = inputs.linesPerFile() * inputs.files().size() * RECORD_BYTES;
        long mib = (outBytes + (1 << 20) - 1) >> 20;
        Path scratch = outputs.resolve("dd-scratch.bin");
        List<String> pythonProbe = List.of(o.python(), "-c",
                "import sys, numpy, h5py, pandas; print('python', sys.version.split()[0], 'numpy', numpy.__version__,"
                        + " 'h5py', h5py.__version__, 'hdf5', h5py.version.hdf5_version, 'pandas', pandas.__version__)");
        List<String> ferryProbe = concat(o.ferry(), List.of("convert", "--help"));

        List<Contender> list = new ArrayList<>();
        List<String> cat = concat(List.of("/bin/sh", "-c", "cat \"$@\" > /dev/null", "cat"), files);
        list.add(new Contender("limit-read-cache", Contender.NONE, Contender.Kind.LIMIT,
                "read the inputs from page cache: cat > /dev/null", cat, List.of(), "", Optional.empty(), Optional.empty()));
        list.add(new Contender("limit-write-disk", Contender.NONE, Contender.Kind.LIMIT,
                "write the uncompressed output's " + mib + " MiB to the same disk + fdatasync: dd",
                List.of("dd", "if=/dev/zero", "of=" + scratch, "bs=1M", "count=" + mib, "conv=fdatasync", "status=none"),
                List.of(), "", Optional.empty(), Optional.of(scratch)));
        for (String compression : List.of(Contender.NONE, Contender.GZIP, Contender.GZIP_FAST)) {
            String tag = switch (compression) {
                case Contender.NONE -> "none";
                case Contender.GZIP -> "gzip";
                default -> "gzipfast";
            };
            List<String> filters = Contender.filterArgs(compression);
            // h5py has no faster deflate to ask for: the Python contenders run none and gzip:4 only.
            boolean python = !compression.equals(Contender.GZIP_FAST);
            for (String variant : python ? List.of("process", "pool") : List.<String>of()) {
                Path out = outputs.resolve("recipe-" + variant + "-" + tag + ".h5");
                List<String> cmd = new ArrayList<>(List.of(o.python(), "ferry-bench/python/recipe.py"));
                if (variant.equals("pool")) {
                    cmd.add("--pool");
                }
                cmd.addAll(filters);
                cmd.addAll(List.of("-o", out.toString()));
                cmd.addAll(files);
                list.add(new Contender("recipe-" + variant, compression, Contender.Kind.PYTHON,
                        variant.equals("pool") ? "classic recipe with Pool.map (os.cpu_count() processes): np.loadtxt, SharedMemory, h5py"
                                : "classic recipe, one Process per file: np.loadtxt, SharedMemory, Queue, h5py",
                        cmd, pythonProbe, "numpy", Optional.of(out), Optional.empty()));
            }
            if (python) {
                Path pandasOut = outputs.resolve("pandas-" + tag + ".h5");
                list.add(new Contender("pandas", compression, Contender.Kind.PYTHON,
                        "pandas read_csv (C engine), one file after another, to the structured array, h5py",
                        concat(concat(List.of(o.python(), "ferry-bench/python/pandas_h5.py"), filters),
                                concat(List.of("-o", pandasOut.toString()), files)),
                        pythonProbe, "numpy", Optional.of(pandasOut), Optional.empty()));
            }
            for (String isolation : List.of("thread", "process")) {
                Path out = outputs.resolve("ferry-" + isolation + "-" + tag + ".h5");
                List<String> cmd = new ArrayList<>(o.ferry());
                cmd.add("convert");
                cmd.addAll(files);
                cmd.addAll(List.of("-o", out.toString(), "--dtype", DTYPE, "--isolation", isolation));
                if (o.ferryWorkers().isPresent()) {
                    cmd.addAll(List.of("--workers", Integer.toString(o.ferryWorkers().getAsInt())));
                }
                cmd.addAll(filters);
                cmd.add("--force");
                list.add(new Contender("ferry-" + isolation, compression, Contender.Kind.FERRY,
                        "ferry convert --isolation " + isolation, cmd, ferryProbe, "ferry convert", Optional.of(out), Optional.empty()));
            }
        }
        return list;
    }

    /// {@return why `c` cannot run}, empty when its probe (run once per distinct probe) succeeds
    private Optional<String> probe(Contender c) throws IOException, InterruptedException {
        if (c.probe().isEmpty()) {
            return Optional.empty();
        }
        Optional<String> known = probes.get(c.probe());
        if (known != null) {
            return known;
        }
        Path log = logs.resolve("probe-" + c.name());
        System.err.println("e2e: probing " + c.name() + ": " + String.join(" ", c.probe()));
        int exit = CommandRun.quiet(c.probe(), o.root(), log, o.timeoutSeconds());
        Optional<String> why = Optional.empty();
        String said = Files.readString(Path.of(log + ".out"));
        String what = String.join(" ", c.probe().subList(Math.max(0, c.probe().size() - 2), c.probe().size()));
        if (exit != 0) {
            why = Optional.of("`… " + what + "` exited " + exit + ": " + CommandRun.summary(Path.of(log + ".err")));
        } else if (!said.contains(c.probeOutput())) {
            why = Optional.of("`… " + what + "` shows no '" + c.probeOutput() + "' (log " + log + ".out)");
        } else if (c.kind() == Contender.Kind.PYTHON) {
            environment.put("python", CommandRun.lastLines(Path.of(log + ".out"), 1));
        }
        probes.put(c.probe(), why);
        return why;
    }

    private void runOnce(ContenderResults r, int round, int position, InputTables inputs)
            throws IOException, InterruptedException {
        Contender c = r.contender();
        if (c.output().isPresent()) {
            Files.deleteIfExists(c.output().get());
        }
        Path prep = logs.resolve("prepare");
        CommandRun.quiet(List.of("sync"), o.root(), prep, o.timeoutSeconds());
        List<String> cat = new ArrayList<>(List.of("/bin/sh", "-c", "cat \"$@\" > /dev/null", "cat"));
        inputs.files().forEach(f -> cat.add(f.toString()));
        CommandRun.quiet(cat, o.root(), prep, o.timeoutSeconds());

        double load = loadAverage();
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String logName = c.id().replace('/', '-').replace(':', '-').replace('+', '-') + "-run" + round;
        CommandRun run = CommandRun.run(c.command(), o.root(), logs.resolve(logName), o.sampleMillis(), o.timeoutSeconds());
        long outBytes = c.output().isPresent() && Files.isRegularFile(c.output().get()) ? Files.size(c.output().get()) : 0;
        if (c.cleanup().isPresent()) {
            Files.deleteIfExists(c.cleanup().get());
        }
        r.runs().add(new RunRecord(round, position, c, run, outBytes, load, started));
        if (run.exitCode() != 0) {
            String why = "exited " + run.exitCode() + ": " + CommandRun.summary(run.stderr());
            r.markUnavailable(why);
            System.err.printf("e2e: round %d/%d %-28s failed, %s (log %s)%n", round, o.runs(), c.id(), why, run.stderr());
            return;
        }
        System.err.printf("e2e: round %d/%d %-28s %7.2f s %6.0f MiB peak %6.1f s CPU%n", round, o.runs(), c.id(),
                run.wallNanos() / 1e9, RunRecord.mib(run.peakMemoryBytes()), run.cpuNanos() / 1e9);
        if (c.output().isPresent() && r.check().isEmpty()) {
            check(r, inputs);
        }
        if (c.output().isPresent() && !o.keepOutputs()) {
            Files.deleteIfExists(c.output().get());
        }
    }

    /// Checks the contender's output once, untimed: datasets, row counts, dtype, filters, edge records.
    private void check(ContenderResults r, InputTables inputs) throws IOException, InterruptedException {
        Contender c = r.contender();
        List<String> cmd = new ArrayList<>(List.of(o.python(), "ferry-bench/python/verify.py", c.output().get().toString()));
        cmd.addAll(Contender.filterArgs(c.compression()));
        for (Path f : inputs.files()) {
            cmd.add(f + ":" + inputs.linesPerFile());
        }
        Path log = logs.resolve("check-" + c.id().replace('/', '-').replace(':', '-').replace('+', '-'));
        int exit = CommandRun.quiet(cmd, o.root(), log, o.timeoutSeconds());
        String out = Files.readString(Path.of(log + ".out")).strip();
        Object detail = null;
        try {
            detail = Json.parse(out);
        } catch (RuntimeException e) {
            // not JSON: the checker itself failed; its stderr says why
        }
        if (exit == 0) {
            r.checked("ok", detail);
        } else {
            String why = detail instanceof Map<?, ?> m && m.get("problems") instanceof List<?> p && !p.isEmpty()
                    ? String.valueOf(p.getFirst()) : CommandRun.summary(Path.of(log + ".err"));
            r.checked("failed: " + why, detail);
            System.err.println("e2e: output check of " + c.id() + " failed: " + why);
        }
    }

    private void describeMachine() throws IOException {
        environment.put("date_utc", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        environment.put("cores", Runtime.getRuntime().availableProcessors());
        environment.put("mem_total", meminfo("MemTotal"));
        environment.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        environment.put("java", Runtime.version().toString());
        environment.put("loadavg_start", loadAverageText());
        environment.put("sample_ms", o.sampleMillis());
        environment.put("runs", o.runs());
        environment.put("generate_cmd", o.generateCmd());
        environment.put("ferry_cmd", String.join(" ", o.ferry()));
        o.ferryWorkers().ifPresent(w -> environment.put("ferry_workers", w));
    }

    private static String meminfo(String key) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (l.startsWith(key + ":")) {
                return l.substring(key.length() + 1).strip();
            }
        }
        return "";
    }

    private static String loadAverageText() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
