package io.ferry.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/// The options of [EndToEnd], parsed from its command line.
///
/// @param lines          lines per input file
/// @param files          number of input files
/// @param runs           timed runs per contender
/// @param out            where results.md, runs.csv and runs.json go
/// @param work           where inputs, outputs and logs go
/// @param root           the repository root (the Python scripts and `./ferry` are found from it)
/// @param generateCmd    shell template that writes one input; see [InputTables]
/// @param python         the Python interpreter for the Python contenders and the output check
/// @param ferry          the command that runs Ferry, split on spaces
/// @param ferryWorkers   `--workers` for Ferry, or empty for Ferry's default
/// @param only           substrings of contender ids to keep (all when empty)
/// @param sampleMillis   memory sampling period
/// @param timeoutSeconds a run that takes longer is killed and counts as failed
/// @param keepOutputs    keep each contender's last output after the session
record EndToEndOptions(long lines, int files, int runs, Path out, Path work, Path root, String generateCmd,
                       String python, List<String> ferry, OptionalInt ferryWorkers, List<String> only,
                       int sampleMillis, long timeoutSeconds, boolean keepOutputs) {

    static final String DEFAULT_GENERATE_CMD = "./ferry generate --lines {lines} --seed {seed} -o {out}";

    static final String USAGE = """
            Usage: bench/e2e [options]
              (or: java -cp ferry-bench/target/benchmarks.jar io.ferry.bench.EndToEnd [options], from the repo root)

            Converts the same generated text tables with every contender, in one session, and writes
            OUT/results.md (a table to paste), OUT/runs.csv and OUT/runs.json (every timed run).

              --lines N          lines per input file (default 5000000)
              --files N          input files (default 4)
              --runs N           timed runs per contender, alternating contenders (default 3)
              --out DIR          results directory (default bench-results)
              --work DIR         inputs, outputs and logs (default OUT/work)
              --generate-cmd T   shell command writing one input; {lines} {seed} {index} {out} are replaced,
                                 and without {out} its stdout is the file
                                 (default: %s)
              --python PATH      Python with numpy, h5py, pandas (default /usr/bin/python3)
              --ferry CMD        how to run Ferry (default ./ferry; e.g. "java -jar ferry-cli/target/ferry.jar")
              --ferry-workers N  pass --workers N to ferry convert (default: Ferry's own)
              --only A,B         run only contenders whose id contains A or B (e.g. recipe,limit,pandas/none)
              --sample-ms N      memory sampling period (default 20)
              --timeout-s N      kill a run after N seconds (default 1800)
              --keep-outputs     keep each contender's last .h5 in WORK/outputs (default: delete after each run)
              --root DIR         repository root, where the commands run (bench/e2e passes it;
                                 relative --out and --work stay relative to the current directory)
            """.formatted(DEFAULT_GENERATE_CMD);

    static EndToEndOptions parse(String... args) {
        long lines = 5_000_000;
        int files = 4;
        int runs = 3;
        Path out = Path.of("bench-results");
        Path work = null;
        Path root = Path.of("");
        String generate = DEFAULT_GENERATE_CMD;
        String python = "/usr/bin/python3";
        List<String> ferry = List.of("./ferry");
        OptionalInt workers = OptionalInt.empty();
        List<String> only = List.of();
        int sample = 20;
        long timeout = 1800;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--lines" -> lines = positive(a, value(args, ++i, a));
                case "--files" -> files = (int) positive(a, value(args, ++i, a));
                case "--runs" -> runs = (int) positive(a, value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--work" -> work = Path.of(value(args, ++i, a));
                case "--root" -> root = Path.of(value(args, ++i, a));
                case "--generate-cmd" -> generate = value(args, ++i, a);
                case "--python" -> python = value(args, ++i, a);
                case "--ferry" -> ferry = List.of(value(args, ++i, a).trim().split("\\s+"));
                case "--ferry-workers" -> workers = OptionalInt.of((int) positive(a, value(args, ++i, a)));
                case "--only" -> only = List.of(value(args, ++i, a).split(","));
                case "--sample-ms" -> sample = (int) positive(a, value(args, ++i, a));
                case "--timeout-s" -> timeout = positive(a, value(args, ++i, a));
                case "--keep-outputs" -> keep = true;
                case "-h", "--help" -> throw new UsageException(null);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (work == null) {
            work = out.resolve("work");
        }
        List<String> kept = new ArrayList<>();
        for (String o : only) {
            if (!o.isBlank()) {
                kept.add(o.trim());
            }
        }
        return new EndToEndOptions(lines, files, runs, out, work, root.toAbsolutePath().normalize(), generate, python,
                ferry, workers, List.copyOf(kept), sample, timeout, keep);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static long positive(String option, String text) {
        try {
            long v = Long.parseLong(text.replace("_", ""));
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " needs a positive whole number, not '" + text + "'");
    }

    /// A command line [EndToEnd] cannot run; the message says why (none for `--help`).
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
