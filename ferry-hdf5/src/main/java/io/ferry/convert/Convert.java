package io.ferry.convert;

import io.ferry.dtype.DType;
import io.ferry.file.InputList;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.pipeline.Conversion;
import io.ferry.pipeline.ConversionResult;
import io.ferry.pipeline.NameTemplate;
import io.ferry.pipeline.ProcessWorkers;
import io.ferry.pipeline.ThreadWorkers;
import io.ferry.pipeline.Workers;
import io.ferry.proc.WorkerOptions;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/// `ferry convert` as a library call: text files into one HDF5 file, a compound dataset per file,
/// in parallel and in bounded memory, written atomically.
///
/// ```java
/// ConversionResult r = Convert.files(List.of(Path.of("examples/sample1.txt"), Path.of("examples/sample2.txt")))
///         .dtype("chr:S10,pos:i4,pct:f4,c:i4,t:i4")
///         .compression(Compression.gzip(4)).shuffle(true)
///         .isolation(Isolation.PROCESS)
///         .to(Path.of("samples.h5"));
/// ```
///
/// The setters fill a [ConvertOptions] (or set it whole with [#options(ConvertOptions)]), which
/// checks them. The defaults are the command's: the loader's default options (whitespace, `#` comments), as
/// many workers as cores, threads, 32 MiB of memory per worker (at least 64 MiB), no
/// compression, about 1 MiB of records per chunk, an existing output refused. Not thread-safe; a `Convert` may run more than once.
public final class Convert {
    /// JVM options of worker processes. A worker's heap holds a read buffer and small messages,
    /// never records (those are in the shared slots): a small heap, a small young generation (its
    /// garbage collected every 8 MiB, not left to fill a generation sized for the machine) and the
    /// serial collector keep each child's footprint near the JVM's own, however long the run.
    /// [#defaultWorkerJvmOptions(TextLoader)] raises the heap by what a reader may hold for its longest line.
    public static final List<String> DEFAULT_WORKER_JVM_OPTIONS = List.of("-Xms16m", "-Xmx64m", "-Xmn8m", "-XX:+UseSerialGC");
    /// Files smaller than this are never cut into parts.
    private static final long MIN_PART_BYTES = 8L << 20;

    private final List<Path> files;
    private ConvertOptions.Builder options = ConvertOptions.builder();
    private Consumer<Conversion> onStart = c -> { };

    private Convert(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /// {@return a conversion of `files`, each to a dataset named after it} (`data1.txt` → `/data1`);
    /// a folder among them stands for its regular files in natural order ([InputList#expand(List)])
    public static Convert files(List<Path> files) {
        return new Convert(files);
    }

    /// Sets every option at once, replacing what the setters below set.
    public Convert options(ConvertOptions options) {
        this.options = options.toBuilder();
        return this;
    }

    /// {@return the options as set so far}
    /// @throws ConvertOptionException when one breaks its rule
    public ConvertOptions options() {
        return options.build();
    }

    /// Sets the record layout: numpy's spellings, as [DType#parse(String)] takes them.
    public Convert dtype(String spec) {
        return dtype(DType.parse(spec));
    }

    /// Sets the record layout; it must be structured (named fields).
    public Convert dtype(DType dtype) {
        options.dtype(dtype);
        return this;
    }

    /// Names the datasets by `template` ([NameTemplate]: `{stem}`, `{name}`, `{parent}`,
    /// `{index}`; default `{stem}`). A `/` in a name makes groups.
    ///
    /// @throws ConvertOptionException naming an unknown placeholder
    public Convert names(String template) {
        options.name(template);
        return this;
    }

    /// Puts every dataset inside group `path` (such as `calls/2024`; default the root), created
    /// as needed.
    public Convert group(String path) {
        options.group(path);
        return this;
    }

    /// Adds the datasets to the existing HDF5 file the conversion goes [#to(Path)] (Ferry's or
    /// anyone's), leaving what it holds as it is; a name it has already is refused before any work.
    /// The file is replaced by a copy with the new datasets when everything succeeded, so a failed
    /// or killed run leaves it as it was ([Hdf5Writer#append]). Not with [#overwrite(boolean)].
    public Convert append(boolean on) {
        options.append(on);
        return this;
    }

    /// Sets the loader's options (delimiter, comments, skiprows, usecols, max_rows, lenient).
    public Convert loadOptions(LoadOptions loadOptions) {
        options.loadOptions(loadOptions);
        return this;
    }

    /// Sets the number of parallel workers (default: the cores).
    public Convert workers(int n) {
        options.workers(n);
        return this;
    }

    /// Sets where workers parse (default [Isolation#THREAD]).
    public Convert isolation(Isolation isolation) {
        options.isolation(isolation);
        return this;
    }

    /// Sets the memory for records in flight and compression buffers, whatever the input size
    /// (default [Conversion#defaultMemory(int)]: 32 MiB per worker, at least 64 MiB).
    ///
    /// @throws ConvertOptionException when `bytes` is not positive
    public Convert memory(long bytes) {
        options.memory(bytes);
        return this;
    }

    /// Sets the chunk compression (default none).
    public Convert compression(Compression c) {
        options.compression(c);
        return this;
    }

    /// Byte-shuffles chunks before compressing them (HDF5's shuffle filter).
    public Convert shuffle(boolean on) {
        options.shuffle(on);
        return this;
    }

    /// Sets the rows per HDF5 chunk (default: about 1 MiB of records).
    /// @throws ConvertOptionException when `rows` is less than 1
    public Convert chunkRows(long rows) {
        options.chunkRows(rows);
        return this;
    }

    /// Replaces an existing output (default: refuse it).
    public Convert overwrite(boolean replace) {
        options.overwrite(replace);
        return this;
    }

    /// Writes every input that succeeds and reports the failures in the result, instead of
    /// stopping at the first.
    public Convert keepGoing(boolean on) {
        options.keepGoing(on);
        return this;
    }

    /// Sets the JVM options of worker processes ([Isolation#PROCESS]); the default is a small heap
    /// that holds a reader's longest line ([#defaultWorkerJvmOptions(TextLoader)]).
    public Convert workerJvmOptions(List<String> jvmOptions) {
        options.workerJvmOptions(jvmOptions);
        return this;
    }

    /// Sets how long a worker process ([Isolation#PROCESS]) may make no progress while it has a
    /// part to parse, before it is killed and the run fails naming it and its state (default
    /// [ProcessWorkers#DEFAULT_STALL_SECONDS]). Waiting for the writer is not a stall; a stopped
    /// worker (`kill -STOP`) is given up on after 2 s.
    ///
    /// @throws ConvertOptionException (from [#to(Path)]) when `limit` is not positive
    public Convert stallTimeout(Duration limit) {
        options.stallTimeout(limit);
        return this;
    }

    /// Calls `action` with the conversion just before it runs: for watching its
    /// [Conversion#progress()], as `ferry convert` draws its progress display.
    public Convert onStart(Consumer<Conversion> action) {
        this.onStart = Objects.requireNonNull(action, "action");
        return this;
    }

    /// Checks everything that can be checked before any work, as [#to(Path)] does first: the
    /// options ([ConvertOptions]) and the files ([ConvertOptions#checkFiles(List, Path)]).
    /// {@return the options}
    /// @throws ConvertOptionException when an option breaks its rule
    /// @throws io.ferry.hdf5.TargetExistsException when `output` exists and overwriting is off
    /// @throws io.ferry.FerryException when an input cannot be read, two inputs would become one
    ///         dataset, or `output` is an input, not a regular file, or in a missing directory
    public ConvertOptions check(Path output) {
        ConvertOptions o = options.build();
        o.checkFiles(InputList.expand(files), output);
        return o;
    }

    /// Runs the conversion into `output`, which appears only when everything succeeded (with
    /// [#keepGoing(boolean)]: when every input that did not fail is written).
    ///
    /// `output` is checked before any work ([#check(Path)]): never one of the inputs (the
    /// same file through a symbolic or hard link included), never anything but a regular file
    /// (`/dev/null`, a named pipe, a directory are refused, with overwriting on too).
    ///
    /// {@return rows, bytes, time, and the failures when keeping going}
    /// @throws io.ferry.hdf5.TargetExistsException when `output` exists and overwriting is off
    /// @throws io.ferry.file.OutputFileException when `output` is an input, not a regular file, or
    ///         its directory is missing or not writable
    /// @throws ConvertOptionException when an option breaks its rule (a plain dtype, 0 workers …)
    /// @throws io.ferry.pipeline.ConversionException for the first failure, naming the input
    /// @throws IOException when an input cannot be read or the output written
    public ConversionResult to(Path output) throws IOException, InterruptedException {
        ConvertOptions o = check(output);
        List<Path> files = InputList.expand(this.files);
        DType dtype = o.dtype();
        TextLoader loader = TextLoader.of(dtype, o.loadOptions());
        WriteOptions sinkOptions = o.writeOptions();
        long rowsPerChunk = sinkOptions.rowsPerChunk(dtype.itemSize());

        Hdf5TableSink out = o.append() ? Hdf5TableSink.append(output, sinkOptions) : Hdf5TableSink.create(output, sinkOptions);
        Thread cleanup = temporaryFileRemover(out.hdf5().temporaryFile());
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (out; Workers pool = workers(o, loader)) {
            Conversion.Builder plan = Conversion.builder(dtype, files, out, pool).datasets(o.datasets(files))
                    .chunkRows(rowsPerChunk).keepGoing(o.keepGoing())
                    // max_rows counts rows from the start of a file: such a file is read whole.
                    .minPartBytes(o.loadOptions().maxRows() >= 0 ? Long.MAX_VALUE : MIN_PART_BYTES);
            if (o.memory() > 0) {
                plan.memoryBytes(o.memory());
            }
            Conversion conversion = plan.build();
            onStart.accept(conversion);
            ConversionResult result = conversion.run();
            out.commit();
            return result;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs
            }
        }
    }

    private static Workers workers(ConvertOptions o, TextLoader loader) {
        return switch (o.isolation()) {
            case THREAD -> new ThreadWorkers(o.workers(), TextParts.readers(loader));
            case PROCESS -> new ProcessWorkers(o.workers(), TextParts.class, TextParts.config(loader),
                    WorkerOptions.DEFAULT.withJvmOptions(o.workerJvmOptions().isEmpty() ? defaultWorkerJvmOptions(loader)
                            : o.workerJvmOptions())).stallTimeout(o.stallTimeout());
        };
    }

    /// {@return the default JVM options of a worker process reading with `loader`}: the 64 MiB
    /// heap of [#DEFAULT_WORKER_JVM_OPTIONS] raised by what a reader may hold for its longest line
    /// ([TextLoader#readerHeapBytes()]; 128 MiB more for the default 64 MiB line). A maximum, not
    /// a reservation: the serial collector grows the heap only when a long line comes.
    public static List<String> defaultWorkerJvmOptions(TextLoader loader) {
        long mib = 64 + (loader.readerHeapBytes() + (1 << 20) - 1 >> 20);
        return DEFAULT_WORKER_JVM_OPTIONS.stream().map(o -> o.startsWith("-Xmx") ? "-Xmx" + mib + "m" : o).toList();
    }

    /// SIGINT and SIGTERM run shutdown hooks, not `finally` blocks: the output is atomic, so its
    /// temporary file goes then too.
    private static Thread temporaryFileRemover(Path temporary) {
        return new Thread(() -> {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // nothing more can be done while the JVM exits
            }
        }, "ferry-convert-cleanup");
    }
}
