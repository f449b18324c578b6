package io.ferry.cli;

import io.ferry.Sizes;
import io.ferry.cli.options.LoaderOptions;
import io.ferry.convert.Convert;
import io.ferry.convert.ConvertOptionException;
import io.ferry.convert.ConvertOptions;
import io.ferry.convert.Isolation;
import io.ferry.dtype.DType;
import io.ferry.dtype.DTypeSpecException;
import io.ferry.dtype.FieldTypes;
import io.ferry.file.Commits;
import io.ferry.file.InputList;
import io.ferry.file.OutputFileException;
import io.ferry.file.StandardInput;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.pipeline.ConversionResult;
import io.ferry.pipeline.Input;
import io.ferry.pipeline.ProcessWorkers;
import io.ferry.text.TextLoader;
import io.ferry.text.TextParseException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/// `ferry convert FILE... -o OUT.h5 --dtype SPEC`: the main job.
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert many text tables into one HDF5 file, in parallel and in bounded memory:",
                "one compound dataset per input (data1.txt -> /data1, s1.cov.gz -> /s1), that h5py reads",
                "back as the same dtype, with the values np.loadtxt gives; a plain --dtype (f8, i4) makes each",
                "input a 2-D dataset, rows x columns, as np.loadtxt(..., ndmin=2). The output appears only when",
                "everything succeeded; an error leaves no output and nothing in /dev/shm."},
        footer = {"", "Examples:",
                "  ferry convert examples/sample*.txt -o samples.h5 --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4",
                "  ferry convert calls/*.cov.gz -o calls.h5 --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4 \\",
                "      --compression gzip:4 --shuffle --isolation process --workers 4",
                "  ferry convert big.csv -o big.h5 --dtype a:f8,b:f8 --delimiter , --skiprows 1 --memory 64M",
                "  ferry convert grids/*.txt -o grids.h5 --dtype f4 --compression gzip   (2-D datasets)",
                "  ferry convert calls.tsv -o july.h5 --header --dtype S10,i4,f4,i4,i4 --attr 'title=July calls'",
                "", "Exit codes: 0 done, 1 failed (no output, nothing left behind), 2 written without the",
                "inputs that failed (--keep-going), 64 bad command line, 130 interrupted, 143 terminated."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /// The driver's standard input when `ferry serve` runs this conversion (and owns standard
    /// input), else null: this conversion watches standard input itself.
    private final ConsumerWords served;

    ConvertCommand() {
        this(null);
    }

    /// A conversion run by `ferry serve`, whose driver speaks through `words`.
    ConvertCommand(ConsumerWords words) {
        this.served = words;
    }

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Text files, plain or gzip, folders (their files, in natural order), and - for standard input (dataset /stdin).")
    List<Path> files = List.of();

    @Option(names = "--inputs-from", paramLabel = "LIST",
            description = "Also read the inputs listed in LIST, one path a line (blank lines skipped); - reads the list from standard input. Repeatable.")
    List<Path> inputsFrom = List.of();

    @Option(names = "--name", paramLabel = "TEMPLATE", defaultValue = "{stem}",
            description = "Dataset name of each input: {stem} (data1.txt -> data1), {name} (the file name), {parent} (its folder's name),"
                    + " {index} (its position, from 0); a / makes groups (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--group", paramLabel = "PATH", defaultValue = "/",
            description = "Put every dataset in this group, such as calls/2024 (default: the root).")
    String group;

    @Option(names = "--append", description = "Add the datasets to OUT.h5, an existing HDF5 file, leaving what it holds as it is;"
            + " names it has are refused. OUT.h5 is replaced by a copy with the new datasets only when everything succeeded.")
    boolean append;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.h5", description = "The HDF5 file to write.")
    Path output;

    @Mixin
    LoaderOptions loaderOptions;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Parallel workers (default: the number of cores).")
    Integer workers;

    @Option(names = "--isolation", paramLabel = "thread|process", defaultValue = "thread",
            description = "Workers as threads of this JVM (default), or as child JVMs parsing into the same shared-memory slots. Both write identical files.")
    String isolation;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "Memory for records in flight and compression buffers, whatever the input size (default: 32M per worker, at least 64M).")
    String memory;

    @Option(names = "--compression", paramLabel = "none|gzip[:LEVEL|:fast]", defaultValue = "none",
            description = "Chunk compression; gzip levels 1-9, default 4; gzip:fast deflates several times faster"
                    + " with ISA-L (package libisal2) into files 10-15%% larger (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--shuffle", description = "Byte-shuffle chunks before compressing (HDF5's shuffle filter).")
    boolean shuffle;

    @Option(names = "--chunk-rows", paramLabel = "N", description = "Rows per HDF5 chunk (default: about 1 MiB of records).")
    Long chunkRows;

    @Option(names = "--stall-timeout", paramLabel = "SECONDS",
            description = "With --isolation process: a worker that makes no progress this long while it has a part to parse ends the run (default: "
                    + ProcessWorkers.DEFAULT_STALL_SECONDS + ").")
    Long stallTimeout;

    @Option(names = {"-f", "--force"}, description = "Replace OUT.h5 if it exists.")
    boolean force;

    @Option(names = "--keep-going", description = "Write every input that succeeded, list the failures, exit 2. Without it the first failure stops the run.")
    boolean keepGoing;

    @Option(names = "--header", description = "The first line (after --skiprows) names the columns, as np.genfromtxt(names=True)"
            + " reads it: --dtype then gives their types in order (S10,i4,f4), one for all (f8) or by name (pos:i8);"
            + " --usecols takes names. Every input's header must be the same.")
    boolean header;

    @Option(names = "--infer-size", paramLabel = "N",
            description = "With --dtype infer: string fields of at least N bytes (default: the longest string sampled, rounded up to 8).")
    Integer inferSize;

    @Option(names = "--attr", paramLabel = "KEY=VALUE",
            description = "Sets a string attribute on the file (repeatable); a number stays its text, as given.")
    List<String> attrs = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print what would be written (datasets, dtypes, estimated rows and bytes, parts,"
            + " memory) after the usual checks, and write nothing.")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"}, description = "No progress display and no summary.")
    boolean quiet;

    @Option(names = "--json", description = "For programs driving ferry: progress, the result and errors as one JSON object a"
            + " line on standard output; the end of standard input means that program is gone, and the run stops as for SIGTERM.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        MachineOutput machine = json ? new MachineOutput(System.out) : null;
        return MachineOutput.reportingFailures(machine, () -> convert(machine));
    }

    private int convert(MachineOutput machine) throws Exception {
        // Everything that can be checked is checked before any work starts: the command line
        // first (exit 64), then the files it names (exit 1).
        ConvertOptions options = options();
        if (served != null && (files.stream().anyMatch(StandardInput::is) || inputsFrom.stream().anyMatch(StandardInput::is))) {
            throw new UsageException("- (standard input) cannot be an input of ferry serve's conversions: its standard"
                    + " input carries the requests");
        }
        // A list of inputs is an input: writing it would destroy it too (`-` too, when standard
        // input is the output's file: checked before the list is read, which closes it).
        if (!inputsFrom.isEmpty()) {
            try {
                Hdf5Writer.checkTarget(output, true, inputsFrom);
            } catch (OutputFileException e) {
                throw Outputs.refusal(e);
            }
        }
        List<Path> inputs = inputs();
        Convert convert = Convert.files(inputs).options(options);
        DType dtype;
        try {
            convert.check(output);
            dtype = convert.dtype(output); // with --header: the header's names, typed as --dtype says
        } catch (OutputFileException e) {
            throw Outputs.refusal(e);
        } catch (ConvertOptionException e) {
            throw usage(e); // options that do not fit the inputs
        } catch (IllegalArgumentException e) { // --dtype's types do not fit the header
            throw new UsageException(e.getMessage());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (options.workers() > cores) {
            spec.commandLine().getErr().println("ferry convert: note: --workers " + options.workers() + " is more than the "
                    + cores + " cores; workers share the cores, and each costs memory"
                    + (options.isolation() == Isolation.PROCESS ? " and a JVM" : ""));
        }
        if (options.shuffle() && options.compression() == Compression.NONE) {
            spec.commandLine().getErr().println("ferry convert: note: --shuffle without compression only reorders bytes");
        }
        if (inferred()) {
            spec.commandLine().getErr().println("ferry convert: --dtype infer chose " + dtype.descr() + " from a sample of the"
                    + " inputs; to pin it: " + pinned(dtype));
            spec.commandLine().getErr().flush();
        } else if (header && FieldTypes.parse(loaderOptions.dtypeSpec()).leavesUntyped(dtype.names())) {
            spec.commandLine().getErr().println("ferry convert: --dtype named some of the header's columns, and the others'"
                    + " types came from a sample of the inputs: " + dtype.descr() + "; to pin it: " + pinned(dtype));
            spec.commandLine().getErr().flush();
        }
        if (dryRun) {
            DryRunReport report;
            try {
                report = new DryRunReport(output, append, dtype, isolation, options.attributes(), convert.dryRun(output));
            } catch (io.ferry.pipeline.MemoryBudgetException e) {
                throw new UsageException(e.getMessage());
            }
            Map<Input, Throwable> failing = report.preview().failures();
            if (!failing.isEmpty() && failing.size() == report.preview().datasets().size()) {
                throw thrown(failing.values().iterator().next());   // every input: as the run fails
            }
            if (machine != null) {
                machine.dryRun(report);
            } else {
                report.print(spec.commandLine().getOut());
                report.printFailures(spec.commandLine().getErr());
            }
            return failing.isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;   // some inputs left out, as the run would
        }
        AutoCloseable[] display = new AutoCloseable[2]; // what stops when the run ends
        if (machine != null) {
            if (served != null) {
                display[1] = exitWhenServedDriverGone(served);
            } else if (inputsFrom.stream().noneMatch(StandardInput::is) && inputs.stream().noneMatch(StandardInput::is)) {
                exitWhenDriverGone(); // standard input is data here: its end says nothing of the driver
            }
            convert.onStart(c -> display[0] = MachineProgress.start(c::progress, machine));
        } else if (!quiet && ProgressDisplay.terminal()) {
            convert.onStart(c -> display[0] = new ProgressDisplay(c::progress, System.err));
        }
        ConversionResult result;
        try {
            result = convert.to(output);
        } catch (OutputFileException e) {
            throw Outputs.refusal(e);
        } catch (io.ferry.pipeline.MemoryBudgetException e) {
            throw new UsageException(e.getMessage());   // --memory too small for the chunks: exit 64
        } catch (io.ferry.pipeline.ConversionException e) {
            if (!inferred() || !anotherTypeMends(e)) {
                throw e;
            }
            throw new io.ferry.FerryException(e.getMessage() + " (the dtype was inferred from a sample of the inputs, " + dtype.descr()
                    + ": pin it with " + pinned(dtype) + ", giving this field the type it needs, or widen strings with --infer-size N)", e,
                    null);
        } finally {
            for (AutoCloseable d : display) {
                if (d != null) {
                    d.close();
                }
            }
        }
        // Every input failed, keeping going: nothing was written (an empty file was, exit 2).
        boolean none = result.allFailed();
        if (none && machine != null) {   // the first failure, as without --keep-going
            throw thrown(result.failures().get(result.inputs().getFirst()));
        }
        if (machine != null) {
            machine.result(output, Files.size(output), result, dtype);
        } else if (!quiet && !none) {
            summary(spec.commandLine().getOut(), result);
        }
        if (!result.complete()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("ferry convert: " + (none ? "every input failed; nothing was written to " + output + ":"
                    : result.failures().size() + " of " + inputs.size() + " inputs failed and are not in " + output + ":"));
            listFailures(err, result.failures().values());
            return none ? ExitCode.FAILED : ExitCode.PARTIAL;
        }
        return ExitCode.OK;
    }

    /// {@return `failure`, an input's, to throw}: as it is, or said in a Ferry exception
    private static RuntimeException thrown(Throwable failure) {
        return failure instanceof RuntimeException r ? r : new io.ferry.FerryException(Main.describe(failure), failure);
    }

    /// Lists the inputs' `failures` under the line that counts them, each with its hint, as a run
    /// (and a dry run) keeping going says them.
    static void listFailures(PrintWriter err, java.util.Collection<Throwable> failures) {
        for (Throwable why : failures) {
            err.println("  " + Main.describe(why));
            HintLine.of(why).ifPresent(h -> err.println("  " + h));
        }
        err.flush();
    }

    /// {@return whether a field of another type, or a wider string, could have read what `failed`
    /// on}: not text an `S` field cannot hold, a row of other length, an open quote or a long
    /// line, where the inferred dtype's note ("pin it … or widen strings with --infer-size")
    /// sent the user to options that do not help. A worker process's error, known by its words
    /// only, may be mended.
    private static boolean anotherTypeMends(Throwable failed) {
        TextParseException parse = MachineOutput.find(failed, TextParseException.class);
        return parse == null || switch (parse.problem()) {
            case NOT_A_NUMBER, NOT_AN_INTEGER, OUT_OF_RANGE, FLOAT_OVERFLOW, TOO_LONG -> true;
            default -> false;
        };
    }

    /// {@return the inputs: the files named, then those `--inputs-from` lists, folders expanded}
    private List<Path> inputs() {
        if (inputsFrom.stream().anyMatch(StandardInput::is) && files.stream().anyMatch(StandardInput::is)) {
            // reading the list closed it, and the input read "Stream closed"
            throw new io.ferry.FerryException("standard input (-) is given as an input and as --inputs-from's list;"
                    + " it can be read only once");   // as `- -` is said (ConvertOptions)
        }
        List<Path> all = new ArrayList<>(files);
        for (Path list : inputsFrom) {
            all.addAll(InputList.read(list));
        }
        if (all.isEmpty()) {
            throw new UsageException("no inputs: name text files or folders, or give --inputs-from LIST");
        }
        return InputList.expand(all, output);
    }

    /// With `--json` a program drives this run through pipes: when it is gone (its end of standard
    /// input closes, even after `kill -9`), the run stops as for SIGTERM, cleaning up.
    private static void exitWhenDriverGone() {
        Thread.ofPlatform().daemon().name("ferry-convert-stdin").start(() -> {
            java.io.InputStream in = new PolledStandardInput(); // never blocked in read: see its note
            try {
                byte[] said = new byte[4096];
                while (in.read(said) >= 0) {
                    // nothing is said here; only the end matters
                }
            } catch (java.io.IOException e) {
                // a broken standard input is its end
            }
            System.err.println("ferry convert: standard input ended: the program driving ferry convert (--json) is gone; stopping");
            Commits.exit(true, ExitCode.TERMINATED);   // 0 if the output is in place: the job is done
        });
    }

    /// As [#exitWhenDriverGone()], for a conversion `ferry serve` runs: its driver's standard input
    /// is `words`, and the driver is gone when they have ended with nothing left to read (requests
    /// queued behind this one are still to be served). {@return what stops the watch}, at the end
    /// of the run (the server then goes on to its next request, or ends by itself)
    private static AutoCloseable exitWhenServedDriverGone(ConsumerWords words) {
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watch = Thread.ofPlatform().daemon().name("ferry-convert-driver").start(() -> {
            while (!over.get() && !words.drained()) { // requests queued behind this one: not gone
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (!over.get()) {
                System.err.println("ferry convert: standard input ended: the program driving ferry serve is gone; stopping");
                Commits.exit(false, ExitCode.TERMINATED);
            }
        });
        return () -> {
            over.set(true);
            watch.interrupt();
        };
    }

    /// {@return the command line as the conversion's options}, which check themselves
    /// @throws UsageException for a value no conversion takes, named as the option it came from
    private ConvertOptions options() {
        ConvertOptions.Builder b = ConvertOptions.builder();
        if (header) {
            try {
                b.headerTypes(inferred() ? FieldTypes.inferred() : FieldTypes.parse(loaderOptions.dtypeSpec()));
            } catch (DTypeSpecException e) {
                throw LoaderOptions.usage(e);
            }
            b.loadOptions(loaderOptions.loadOptionsWithoutUseCols()).useColumns(loaderOptions.useColumns());
            b.inferDtype(inferred());
        } else if (inferred()) {
            b.loadOptions(loaderOptions.loadOptions()).inferDtype(true);
        } else {
            TextLoader loader = loaderOptions.loader();
            b.dtype(loader.dtype()).loadOptions(loader.options());
        }
        attributes(attrs).forEach(b::attribute);
        b.compression(compression(compression)).shuffle(shuffle).overwrite(force).keepGoing(keepGoing).append(append)
                .isolation(switch (isolation) {
                    case "thread" -> Isolation.THREAD;
                    case "process" -> Isolation.PROCESS;
                    default -> throw new UsageException("--isolation is thread or process, not '" + isolation + "'");
                });
        try {
            b.name(name).group(group);
            if (memory != null) {
                b.memory(Sizes.parse("--memory", memory));
            }
            if (workers != null) {
                b.workers(workers);
            }
            if (chunkRows != null) {
                b.chunkRows(chunkRows);
            }
            if (stallTimeout != null) {
                b.stallTimeout(Duration.ofSeconds(stallTimeout));
            }
            if (inferSize != null) {
                if (!inferred()) {
                    throw new UsageException("--infer-size is for --dtype infer: give the sizes in --dtype itself");
                }
                b.inferSize(inferSize);
            }
            return b.build();
        } catch (ConvertOptionException e) {
            throw usage(e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /// {@return `e` as this command says it}: its flags are the components' names (`chunkRows`,
    /// `--chunk-rows`) but for the attributes, given as `--attr`
    private static UsageException usage(ConvertOptionException e) {
        return new UsageException(e.option().equals("attributes") ? e.describe("--attr") : e.commandLineMessage());
    }

    private void summary(PrintWriter out, ConversionResult r) throws java.io.IOException {
        long bytesOut = Files.size(output);
        // Joined, not printf'd: the Formatter costs a short run 15 ms to load.
        out.println(output + ": " + Units.counted(r.inputs().size() - r.failures().size(), "dataset") + ", "
                + Units.counted(r.totalRows(), "row") + ", " + Sizes.human(r.bytesIn()) + " of text in, "
                + Sizes.human(bytesOut) + " out, " + Sizes.fixed(Math.min(r.seconds(), 9e6), 2) + " s, "
                + Sizes.human((long) (r.bytesIn() / Math.max(r.seconds(), 1e-9))) + "/s");
        out.flush();
    }

    /// {@return the options that give `dtype` without inferring it}
    private String pinned(DType dtype) {
        List<String> used = loaderOptions.useColumns();
        String columns = used == null ? "" : " --usecols '" + String.join(",", used) + "'";
        if (header) {   // quoted: the types' | and < are the shell's
            return "--header --dtype '" + String.join(",", dtype.fields().stream().map(f -> f.type().str()).toList()) + "'"
                    + columns;
        }
        return "--dtype '" + dtype.compact() + "'" + columns;
    }

    /// {@return whether `--dtype infer` asks for the dtype to be chosen from a sample}
    private boolean inferred() {
        return loaderOptions.dtypeSpec().strip().equals("infer");
    }

    /// {@return `--attr KEY=VALUE`s as names and values, in order}
    static Map<String, String> attributes(List<String> given) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : given) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--attr takes KEY=VALUE, such as --attr 'title=July grids', not '" + a + "'");
            }
            String key = a.substring(0, eq);
            if (ConvertOptions.RESERVED_ATTRIBUTES.contains(key)) {
                throw new UsageException("--attr " + key + ": ferry writes that attribute itself ("
                        + String.join(", ", ConvertOptions.RESERVED_ATTRIBUTES) + "); choose another name");
            }
            if (m.put(key, a.substring(eq + 1)) != null) {
                throw new UsageException("--attr " + key + " is given twice; give each attribute once");
            }
        }
        return m;
    }

    static Compression compression(String text) {
        try {
            return Compression.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage());
        }
    }
}
