package io.ferry.convert;

import io.ferry.dtype.DType;
import io.ferry.file.InputFile;
import io.ferry.file.InputList;
import io.ferry.file.StandardInput;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.pipeline.ConversionException;
import io.ferry.pipeline.ConversionPreview;
import io.ferry.pipeline.ConversionResult;
import io.ferry.pipeline.DatasetAppender;
import io.ferry.pipeline.Input;
import io.ferry.pipeline.Pipeline;
import io.ferry.pipeline.TableSink;
import io.ferry.pipeline.NameTemplate;
import io.ferry.pipeline.ProcessWorkers;
import io.ferry.pipeline.ThreadWorkers;
import io.ferry.pipeline.Workers;
import io.ferry.proc.WorkerOptions;
import io.ferry.dtype.FieldTypes;
import io.ferry.FerryException;
import io.ferry.text.Header;
import io.ferry.text.HeaderLayout;
import io.ferry.text.TypeInference;
import io.ferry.text.LoadOptions;
import io.ferry.text.TextLoader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/// `ferry convert` as a library call: text files into one HDF5 file, a compound dataset per file,
/// in parallel and in bounded memory, written atomically. With a plain dtype (`f8`, `<i4`) each
/// file is a grid instead: a 2-D dataset of rows × columns, as `np.loadtxt(file, ndmin=2)` reads it.
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
    private Consumer<Pipeline> onStart = c -> { };

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

    /// Sets the record layout (named fields: a compound dataset per input), or a plain type (a
    /// 2-D dataset per input, rows × the columns of its first data row, which every row must have).
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

    /// The inputs start with a header line (the first after skiprows) that names their columns, as
    /// `np.genfromtxt(names=True)` reads it: those names become the fields, with `types` in the
    /// order of the columns read (`S10,i4,f4,i4,i4`), one for all (`f8`), or by name (`pos:i8`,
    /// every name given one). Every input's header must be the same ([HeaderLayout]). Replaces a
    /// dtype given before; the types are checked against the header when the run starts.
    /// @throws io.ferry.dtype.DTypeSpecException when `types` is no list of types
    public Convert header(String types) {
        options.headerTypes(FieldTypes.parse(types));
        return this;
    }

    /// With [#header(String)]: reads only the columns named (a header name, or a 0-based index as
    /// text), in this order, as numpy's `usecols`; they replace the loader options' useCols.
    public Convert useColumns(List<String> names) {
        options.useColumns(names);
        return this;
    }

    /// Chooses the dtype from a sample of the inputs, as `np.genfromtxt(dtype=None)` chooses kinds
    /// but with fixed sizes (`i8`, `f8`, `S<n>`; see [TypeInference]): [#dtype(Path)] says what it
    /// chose. A row past the sample that does not fit stops the run with the loader's error.
    public Convert inferDtype() {
        options.inferDtype(true);
        return this;
    }

    /// With [#inferDtype()]: inferred `S` fields of at least `bytes` bytes.
    public Convert inferSize(int bytes) {
        options.inferSize(bytes);
        return this;
    }

    /// Sets a string attribute `name` on the output file's root (as h5py reads it: `str`); the
    /// last value given for a name wins. Numbers are written as their text, as given.
    ///
    /// @throws ConvertOptionException (from [#to(Path)]) for an empty name, one Ferry writes
    ///         itself ([ConvertOptions#RESERVED_ATTRIBUTES]), or a name or value holding a NUL,
    ///         which HDF5 would end it at
    public Convert attribute(String name, String value) {
        options.attribute(name, value);
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
    /// (default [Pipeline#defaultMemory(int)]: 32 MiB per worker, at least 64 MiB).
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

    /// Calls `action` with the conversion's pipeline just before it runs: for watching its
    /// [Pipeline#progress()], as `ferry convert` draws its progress display.
    public Convert onStart(Consumer<Pipeline> action) {
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
        o.checkFiles(InputList.expand(files, output), output);
        return o;
    }

    /// Runs the conversion into `output`, which appears only when everything succeeded (with
    /// [#keepGoing(boolean)]: when every input that did not fail is written, and one did not).
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
        Prepared p = prepare(output);
        Hdf5TableSink out = p.options().append() ? Hdf5TableSink.append(output, p.sinkOptions())
                : Hdf5TableSink.create(output, p.sinkOptions());
        // An exit meanwhile (SIGTERM, a served driver gone) removes the temporary file: OutputFile sees to it.
        try (out; Workers pool = workers(p.options(), p.loader())) {
            p.options().attributes().forEach(out.hdf5()::attribute);
            Pipeline pipeline = p.pipeline(out, pool);
            onStart.accept(pipeline);
            ConversionResult result = pipeline.run();
            if (!result.allFailed()) {   // else nothing is written: an appended file stays as it was
                out.commit();
            }
            return result;
        }
    }

    /// {@return what [#to(Path)] would write into `output`}: the datasets with their estimated
    /// rows and bytes, the parts, the workers and the memory, worked out as a run works them out,
    /// after the same checks (`output` and the inputs). Nothing is written, no worker starts, no
    /// memory is taken; only the start of each input is read: its rows are estimated from it, and
    /// its first rows parsed as the run parses them (an input that fails there fails the dry run,
    /// or keeping going is among the preview's failures).
    ///
    /// @throws ConversionException when an input's first rows fail to parse, unless keeping going
    /// @throws io.ferry.hdf5.TargetExistsException when `output` exists and overwriting is off
    /// @throws io.ferry.file.OutputFileException as [#to(Path)]
    public ConversionPreview dryRun(Path output) throws IOException {
        Prepared p = prepare(output);
        WriteOptions writeOptions = p.sinkOptions();
        TableSink sizing = new TableSink() {
            @Override
            public DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows) {
                throw new UnsupportedOperationException("a dry run writes nothing");
            }

            @Override
            public long workingBytes(DType dtype, long chunkRows, int datasets, long[] inner) {
                return Hdf5TableSink.workingBytes(writeOptions, dtype, chunkRows, datasets, inner);
            }

            @Override
            public void commit() {
                throw new UnsupportedOperationException("a dry run writes nothing");
            }

            @Override
            public void close() {
            }
        };
        ConversionPreview preview;
        try (Workers pool = workers(p.options(), p.loader())) {
            preview = bounded(p.pipeline(sizing, pool).preview(), p.loader().options());
        }
        return firstRowsParsed(preview, p);
    }

    /// The rows at the start of each input a dry run parses as the run would.
    static final long DRY_RUN_ROWS = 1000;

    /// {@return `preview`, with the inputs whose first [#DRY_RUN_ROWS] rows fail to parse among its
    /// failures}: a mistake that shows at once (a wrong delimiter, a header line where the rows
    /// start, a column too few) fails the dry run as it fails the run, with its hint, where the dry
    /// run said what it would write and the run then failed at line 1.
    /// @throws ConversionException for the first such input, unless keeping going
    private static ConversionPreview firstRowsParsed(ConversionPreview preview, Prepared p) {
        LoadOptions o = p.loader().options();
        long rows = o.maxRows() == LoadOptions.ALL_ROWS ? DRY_RUN_ROWS : Math.min(o.maxRows(), DRY_RUN_ROWS);
        TextLoader start = TextLoader.of(p.loader().dtype(), o.toBuilder().maxRows(rows).build());
        for (ConversionPreview.Dataset d : preview.datasets()) {
            Input in = d.input();
            if (preview.failures().containsKey(in) || StandardInput.is(in.file())) {
                continue;   // failed already; standard input is read once, by the run
            }
            try (Arena arena = Arena.ofConfined()) {
                start.load(in.file(), arena);
            } catch (IOException | FerryException e) {
                if (!p.options().keepGoing()) {
                    throw ConversionException.of(in, e);
                }
                preview = preview.failing(in, e);
            }
        }
        return preview;
    }

    /// {@return `preview` with each input's estimated rows less the lines `options` skips and at
    /// most the rows it reads}: a dry run of `--max-rows 1000000` estimated 1.9 million rows
    private static ConversionPreview bounded(ConversionPreview preview, LoadOptions options) {
        List<ConversionPreview.Dataset> datasets = preview.datasets().stream().map(d -> {
            if (d.estimatedRows() < 0) {
                return d;
            }
            long rows = Math.max(0, d.estimatedRows() - options.skipRows());
            if (options.maxRows() != LoadOptions.ALL_ROWS) {
                rows = Math.min(rows, options.maxRows());
            }
            return new ConversionPreview.Dataset(d.input(), d.row(), d.rowBytes(), rows, d.parts());
        }).toList();
        return new ConversionPreview(datasets, preview.workers(), preview.chunkRows(), preview.slots(), preview.slotBytes(),
                preview.sinkBytes(), preview.failures());
    }

    /// {@return the dtype of the rows as the run will read them}: the one given, or the one the
    /// inputs' header names with the types given ([#header(String)]), after the checks of [#check(Path)]
    public DType dtype(Path output) throws IOException {
        return prepare(output).loader().dtype();
    }

    /// What a run and a dry run check and work out before either starts.
    /// @param failedBefore the inputs that failed as they were read ahead, keeping going, by index
    private record Prepared(ConvertOptions options, List<Path> files, TextLoader loader, WriteOptions sinkOptions,
                            long[] columns, long rowsPerChunk, Map<Integer, Exception> failedBefore) {
        Pipeline pipeline(TableSink sink, Workers pool) {
            Pipeline.Builder plan = Pipeline.builder(loader.dtype(), files, sink, pool).format(TextParts.FORMAT).datasets(options.datasets(files))
                    .chunkRows(rowsPerChunk).keepGoing(options.keepGoing())
                    // max_rows counts rows from the start of a file: such a file is read whole.
                    .minPartBytes(loader.options().maxRows() >= 0 ? Long.MAX_VALUE : MIN_PART_BYTES);
            if (options.memory() > 0) {
                plan.memoryBytes(options.memory());
            }
            if (columns != null) {
                plan.columns(columns);
            }
            failedBefore.forEach(plan::failedBefore);
            return plan.build();
        }
    }

    private Prepared prepare(Path output) throws IOException {
        ConvertOptions o = check(output);
        List<Path> files = InputList.expand(this.files, output);
        boolean readsAhead = o.headerTypes() != null || o.inferDtype() || (o.dtype() != null && !o.dtype().isStructured());
        if (readsAhead && files.stream().anyMatch(StandardInput::is)) {
            throw new FerryException("standard input (-) can be read once only, and a grid (a plain dtype), --header and"
                    + " --dtype infer read the start of each input before the run: save it to a file first");
        }
        // Keeping going, an input that cannot be read, or whose header differs from the first's,
        // fails as it would in a worker, and the rest are read ahead and converted without it:
        // it stopped the run (exit 1, nothing written), as the start of every input is read here.
        Map<Integer, Exception> failedBefore = o.keepGoing() && readsAhead ? unreadable(files) : new TreeMap<>();
        List<Path> readable = without(files, failedBefore.keySet());
        if (readable.isEmpty()) {
            throw (FerryException) failedBefore.values().iterator().next();   // every input: none is readable
        }
        TextLoader loader;
        if (o.headerTypes() == null) {
            LoadOptions lo = o.loadOptions();
            loader = TextLoader.of(o.inferDtype() ? TypeInference.sample(readable, lo, o.inferSize()).dtype(lo.useCols()) : o.dtype(), lo);
        } else {
            List<Path> agreeing = o.keepGoing() ? agreeing(files, readable, o.loadOptions(), failedBefore) : readable;
            // A name left without a type gets the type of its column in a sample of the rows.
            Header header = Header.read(agreeing.getFirst(), o.loadOptions());
            TypeInference[] sample = new TypeInference[1];
            HeaderLayout layout = HeaderLayout.of(agreeing, o.loadOptions(), o.useColumns(), o.headerTypes(), name -> {
                try {
                    if (sample[0] == null) {
                        sample[0] = TypeInference.sample(agreeing, header.rowOptions(o.loadOptions()), o.inferSize());
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return sample[0].type(header.column(name));
            });
            loader = TextLoader.of(layout.dtype(), layout.options());
        }
        DType dt = loader.dtype();
        WriteOptions sinkOptions = o.writeOptions();
        long[] columns = dt.isStructured() ? null : columns(loader, files);
        long rowBytes = Math.multiplyExact(dt.itemSize(), columns == null ? 1 : Arrays.stream(columns).max().orElse(1));
        return new Prepared(o, files, loader, sinkOptions, columns, sinkOptions.rowsPerChunk(rowBytes), failedBefore);
    }

    /// {@return the inputs of `readable` whose header is the first header's}, keeping going: those
    /// before the first input with a header line (an empty one, one of comments only, which ended
    /// the run), and those whose header differs, join `failedBefore` (by index in `files`)
    private static List<Path> agreeing(List<Path> files, List<Path> readable, LoadOptions options,
                                       Map<Integer, Exception> failedBefore) throws IOException {
        List<Path> from = readable;
        while (from.size() > 1 && noHeader(from.getFirst(), options) instanceof Exception e) {
            failedBefore.put(files.indexOf(from.getFirst()), e);
            from = from.subList(1, from.size());
        }
        List<Path> reference = from;
        HeaderLayout.differing(reference, options).forEach((i, why) -> failedBefore.put(files.indexOf(reference.get(i)), why));
        return without(files, failedBefore.keySet());
    }

    /// {@return why `file` has no header line to read with `options`}, or null when it has one
    private static Exception noHeader(Path file, LoadOptions options) {
        try {
            Header.read(file, options);
            return null;
        } catch (IOException | FerryException e) {
            return e;
        }
    }

    /// {@return the inputs that cannot be read ([InputFile#checkReadable]), by index, with why}
    private static Map<Integer, Exception> unreadable(List<Path> files) {
        Map<Integer, Exception> failed = new TreeMap<>();
        for (int i = 0; i < files.size(); i++) {
            try {
                InputFile.checkReadable(files.get(i));
            } catch (FerryException e) {
                failed.put(i, e);
            }
        }
        return failed;
    }

    private static List<Path> without(List<Path> files, Set<Integer> indices) {
        List<Path> kept = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (!indices.contains(i)) {
                kept.add(files.get(i));
            }
        }
        return kept;
    }

    /// {@return the columns of each input's grid}, counted before any work so that each dataset has
    /// its shape from the start. An input that cannot be read here is given 1: its worker fails on
    /// it with the reader's own error, and `keepGoing` goes on without it.
    private static long[] columns(TextLoader loader, List<Path> files) {
        long[] columns = new long[files.size()];
        for (int i = 0; i < columns.length; i++) {
            try {
                columns[i] = loader.columns(files.get(i));
            } catch (IOException | FerryException e) {
                columns[i] = 1;
            }
        }
        return columns;
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
}
