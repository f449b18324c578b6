package io.ferry.cli;

import io.ferry.hdf5.Compression;
import io.ferry.hdf5.Hdf5TableSink;
import io.ferry.hdf5.SinkOptions;
import io.ferry.hdf5.TargetExistsException;
import io.ferry.pipeline.Conversion;
import io.ferry.pipeline.ConversionResult;
import io.ferry.pipeline.DatasetNames;
import io.ferry.pipeline.Input;
import io.ferry.pipeline.ProcessWorkers;
import io.ferry.pipeline.TextParts;
import io.ferry.pipeline.ThreadWorkers;
import io.ferry.pipeline.Workers;
import io.ferry.proc.WorkerOptions;
import io.ferry.shm.Sweep;
import io.ferry.text.TextLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/// `ferry convert FILE... -o OUT.h5 --dtype SPEC`: the main job.
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert many text tables into one HDF5 file, in parallel and in bounded memory:",
                "one compound dataset per input (data1.txt -> /data1, s1.cov.gz -> /s1), that h5py reads",
                "back as the same dtype, with the values np.loadtxt gives. The output appears only when",
                "everything succeeded; an error leaves no output and nothing in /dev/shm."},
        footer = {"", "Examples:",
                "  ferry convert examples/sample*.txt -o samples.h5 --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4",
                "  ferry convert calls/*.cov.gz -o calls.h5 --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4 \\",
                "      --compression gzip:4 --shuffle --isolation process --workers 4",
                "  ferry convert big.csv -o big.h5 --dtype a:f8,b:f8 --delimiter , --skiprows 1 --memory 64M",
                "", "Exit codes: 0 done, 1 failed (no output, nothing left behind), 2 written without the",
                "inputs that failed (--keep-going), 64 bad command line, 130 interrupted, 143 terminated."})
final class ConvertCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Text files, plain or gzip.")
    List<Path> files;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.h5", description = "The HDF5 file to write.")
    Path output;

    @Mixin
    LoaderOptions loaderOptions;

    @Option(names = {"-w", "--workers"}, paramLabel = "N", description = "Parallel workers (default: the number of cores).")
    Integer workers;

    @Option(names = "--isolation", paramLabel = "thread|process", defaultValue = "thread",
            description = "Workers as threads of this JVM (default), or as child JVMs parsing into the same shared-memory slots. Both write identical files.")
    String isolation;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "128M",
            description = "Memory for records in flight, whatever the input size (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--compression", paramLabel = "none|gzip[:LEVEL]", defaultValue = "none",
            description = "Chunk compression; gzip levels 1-9, default 4 (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--shuffle", description = "Byte-shuffle chunks before compressing (HDF5's shuffle filter).")
    boolean shuffle;

    @Option(names = "--chunk-rows", paramLabel = "N", description = "Rows per HDF5 chunk (default: about 1 MiB of records).")
    Long chunkRows;

    @Option(names = {"-f", "--force"}, description = "Replace OUT.h5 if it exists.")
    boolean force;

    @Option(names = "--keep-going", description = "Write every input that succeeded, list the failures, exit 2. Without it the first failure stops the run.")
    boolean keepGoing;

    @Option(names = {"-q", "--quiet"}, description = "No progress display and no summary.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        // Everything that can be checked is checked before any work starts.
        TextLoader loader = loaderOptions.loader();
        if (!loader.dtype().isStructured()) {
            throw new CliException("convert writes tables of records: give a structured dtype such as a:f8,b:f8 (not "
                    + loader.dtype() + ")");
        }
        Inputs.checkReadable(files);
        Inputs.checkOutputDirectory(output);
        DatasetNames.checkUnique(files);
        if (Files.exists(output) && !force) {
            throw new CliException(output + ": exists already; add --force to replace it");
        }
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new CliException("--workers must be at least 1, not " + n);
        }
        boolean processes = switch (isolation) {
            case "thread" -> false;
            case "process" -> true;
            default -> throw new CliException("--isolation is thread or process, not '" + isolation + "'");
        };
        long memoryBytes = Sizes.parse("--memory", memory);
        SinkOptions.Builder sinkOptions = SinkOptions.builder().compression(compression(compression)).shuffle(shuffle)
                .overwrite(force);
        if (chunkRows != null) {
            if (chunkRows < 1) {
                throw new CliException("--chunk-rows must be at least 1, not " + chunkRows);
            }
            sinkOptions.chunkRows(chunkRows);
        }
        if (shuffle && compression.equals("none")) {
            spec.commandLine().getErr().println("ferry convert: note: --shuffle without compression only reorders bytes");
        }
        Sweep.run(); // segments of Ferry runs that died before us

        long rowsPerChunk = chunkRows != null ? chunkRows : Math.max(1, SinkOptions.DEFAULT_CHUNK_BYTES / loader.dtype().itemSize());
        PrintWriter out = spec.commandLine().getOut();
        Hdf5TableSink sink;
        try {
            sink = Hdf5TableSink.create(output, sinkOptions.build());
        } catch (TargetExistsException e) {
            throw new CliException(output + ": exists already; add --force to replace it");
        }
        Path temporary = sink.hdf5().temporaryFile();
        // SIGINT/SIGTERM run shutdown hooks: the output is atomic, so its temporary file goes.
        Thread cleanup = new Thread(() -> {
            try {
                Files.deleteIfExists(temporary);
            } catch (java.io.IOException ignored) {
                // nothing more can be done while the JVM exits
            }
        }, "ferry-convert-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (sink; Workers pool = processes ? processWorkers(n, loader) : new ThreadWorkers(n, TextParts.readers(loader))) {
            Conversion conversion = Conversion.builder(loader.dtype(), files, sink, pool).memoryBytes(memoryBytes)
                    .chunkRows(rowsPerChunk).keepGoing(keepGoing)
                    .minPartBytes(loader.options().maxRows() >= 0 ? Long.MAX_VALUE : 8L << 20).build();
            ConversionResult result;
            if (!quiet && ProgressDisplay.terminal()) {
                try (ProgressDisplay ignored = new ProgressDisplay(conversion::progress, System.err)) {
                    result = conversion.run();
                }
            } else {
                result = conversion.run();
            }
            sink.commit();
            if (!quiet) {
                summary(out, result);
            }
            if (!result.complete()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("ferry convert: " + result.failures().size() + " of " + files.size()
                        + " inputs failed and are not in " + output + ":");
                for (Map.Entry<Input, Throwable> f : result.failures().entrySet()) {
                    err.println("  " + Main.describe(f.getValue()));
                }
                err.flush();
                return ExitCode.PARTIAL;
            }
            return ExitCode.OK;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs
            }
        }
    }

    private static Workers processWorkers(int n, TextLoader loader) {
        WorkerOptions options = WorkerOptions.DEFAULT.withJvmOptions(workerJvmOptions());
        return new ProcessWorkers(n, TextParts.class, TextParts.config(loader), options);
    }

    /// A worker's heap holds a read buffer and small messages, never records (those are in the
    /// shared slots): a small heap, a small young generation (its garbage is collected every 8 MiB
    /// instead of filling a generation sized for the machine) and the serial collector keep each
    /// child's footprint near the JVM's own, however long the run.
    static List<String> workerJvmOptions() {
        return List.of("-Xmx64m", "-Xmn8m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");
    }

    private void summary(PrintWriter out, ConversionResult r) throws java.io.IOException {
        long bytesOut = Files.size(output);
        out.printf("%s: %d datasets, %s rows, %s of text in, %s out, %.2f s, %s/s%n", output,
                r.inputs().size() - r.failures().size(), Units.count(r.totalRows()), Units.bytes(r.bytesIn()),
                Units.bytes(bytesOut), r.seconds(), Units.bytes((long) (r.bytesIn() / Math.max(r.seconds(), 1e-9))));
        out.flush();
    }

    static Compression compression(String text) {
        String t = text.toLowerCase();
        if (t.equals("none")) {
            return Compression.NONE;
        }
        if (t.equals("gzip")) {
            return Compression.gzip(4);
        }
        if (t.startsWith("gzip:")) {
            try {
                return Compression.gzip(Integer.parseInt(t.substring(5)));
            } catch (IllegalArgumentException e) {
                throw new CliException("--compression gzip takes a level from 1 to 9, as gzip:4, not '" + text + "'");
            }
        }
        throw new CliException("--compression is none, gzip or gzip:LEVEL (1-9), not '" + text + "'");
    }
}
