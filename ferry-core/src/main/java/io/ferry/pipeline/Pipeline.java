package io.ferry.pipeline;

import io.ferry.dtype.DType;
import io.ferry.file.FileStamp;
import io.ferry.file.StandardInput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/// The conversion engine: many input files into one sink, a dataset each, in parallel, in bounded
/// memory. It knows no file format and no sink: `io.ferry.convert.Convert` is the engine with the
/// text loader's readers and an HDF5 file, `ferry convert` as a library call.
///
/// Workers parse parts of the inputs straight into a fixed pool of chunk slots; this thread, the
/// writer, appends each filled slot to its input's dataset in file order and hands the slot back.
/// Memory for records is the slot pool, whatever the input size; the memory budget holds the
/// pool and the sink's own buffers ([TableSink#workingBytes(DType, long, int, long[])]).
///
/// A row is one element of `dtype` (a record of a structured dtype), or, for a plain dtype given
/// each input's columns ([Builder#columns(long[])]; the text loader counts them:
/// `TextLoader.columns(Path)`), that many elements: each input a grid of rows × columns.
///
/// ```java
/// ConversionResult r;
/// try (TableSink sink = openSink(); ThreadWorkers workers = new ThreadWorkers(2, readers)) {
///     r = Pipeline.builder(DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4"), files, sink, workers)
///             .memoryBytes(64 << 20)
///             .build()
///             .run();
///     sink.commit();
/// }
/// ```
public final class Pipeline {
    private final DType dtype;
    private final List<Path> files;
    private final List<String> datasets;
    private final TableSink sink;
    private final Workers workers;
    private final long memoryBytes;
    private final long chunkRows;
    private final boolean keepGoing;
    private final long minPartBytes;
    private final long[] columns; // per input, for a plain dtype; null for records
    private final InputFormat format;
    private final Map<Integer, Throwable> failedBefore; // by input index, in order, keeping going
    private volatile ConversionProgress progress;

    private Pipeline(Builder b) {
        this.dtype = b.dtype;
        this.files = List.copyOf(b.files);
        this.datasets = b.datasets != null ? b.datasets : DatasetNames.of(files, NameTemplate.DEFAULT, "");
        this.sink = b.sink;
        this.workers = b.workers;
        this.memoryBytes = b.memoryBytes; // 0: the default for the workers that run
        this.chunkRows = b.chunkRows;
        this.keepGoing = b.keepGoing;
        this.minPartBytes = b.minPartBytes;
        this.columns = b.columns;
        this.format = b.format;
        this.failedBefore = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(b.failedBefore));
        if (!failedBefore.isEmpty() && !keepGoing) {
            throw new IllegalStateException("inputs failed before the run (failedBefore) without keepGoing: the caller throws");
        }
        if (columns != null && (dtype.isStructured() || columns.length != files.size())) {
            throw new IllegalArgumentException(dtype.isStructured()
                    ? "a structured dtype has one record per row: columns are for a plain dtype's grid"
                    : "columns of " + columns.length + " inputs for " + files.size() + " inputs");
        }
        for (int i = 0; columns != null && i < columns.length; i++) {
            if (columns[i] < 1) {
                throw new IllegalArgumentException("input " + files.get(i) + " has rows of " + columns[i]
                        + " columns; a grid has at least 1");
            }
        }
    }

    /// {@return the memory a conversion with `workers` workers gets unless told otherwise}: 32 MiB
    /// per worker, at least 64 MiB (64 MiB for 2 workers, 128 MiB for 4, 1 GiB for 32). The workers
    /// counted are those that run: no more than the parts.
    public static long defaultMemory(int workers) {
        return SlotBudget.defaultMemory(workers);
    }

    /// {@return a builder for converting `files` of records of `dtype` into `sink`, parsed by `workers`}
    public static Builder builder(DType dtype, List<Path> files, TableSink sink, Workers workers) {
        return new Builder(dtype, files, sink, workers);
    }

    /// {@return the live progress once [#run()] has planned the work, else null}
    public ConversionProgress progress() {
        return progress;
    }

    /// Runs the conversion. The sink is not committed: the caller commits it on success.
    ///
    /// @throws ConversionException for the first failure (unless keeping going), naming the input
    public ConversionResult run() throws IOException, InterruptedException {
        // Each part opens its input by path: an input replaced (renamed over) or written during
        // the run would give some parts' rows of one file and some of another.
        Map<Path, FileStamp> stamps = new HashMap<>();
        for (Path f : files) {
            if (!StandardInput.is(f) && Files.isRegularFile(f)) {
                stamps.put(f, FileStamp.of(f));
            }
        }
        Planned planned = plan();
        ConversionPlan plan = planned.plan();
        SlotBudget budget = planned.budget();
        int active = budget.workers();
        ConversionProgress prog = new ConversionProgress(plan);
        this.progress = prog;

        SlotPool slots = new SlotPool(new ChunkSlots(workers.allocateSlots(budget.slotMemory()), budget.slotCount(),
                budget.slotBytes()), budget);
        PartQueue parts = new PartQueue(plan, prog);
        WorkerReports reports = new WorkerReports(prog);
        InOrderWriter writer = new InOrderWriter(plan, dtype, this::rowShape, sink, budget, slots, parts, prog);
        for (Map.Entry<Integer, Throwable> f : failedBefore.entrySet()) {
            parts.failInput(f.getKey());   // none of its parts is handed out
            writer.fail(plan.inputs().get(f.getKey()), f.getValue());
        }
        workers.start(parts, slots, reports);
        try {
            new EventLoop(writer, slots, parts, reports, keepGoing).run();
        } catch (ConversionException failed) {
            throw changedOr(failed, stamps);
        }
        for (Input in : plan.inputs()) {
            FileStamp stamp = stamps.get(in.file());
            if (stamp != null) {
                try {
                    stamp.checkUnchanged(in.file());
                } catch (IOException changed) {
                    throw ConversionException.of(in, changed);
                }
            }
        }
        return new ConversionResult(plan.inputs(), writer.rows(), writer.failures(), prog.totalBytesRead(),
                prog.elapsedSeconds(), active);
    }

    /// {@return that `failed`'s input changed while it was read, if it did, else `failed`}: an
    /// input cut short or written during the run failed as a bad row that neither the file before
    /// nor the file after holds, which sent the user to a row that is fine
    private static ConversionException changedOr(ConversionException failed, Map<Path, FileStamp> stamps) {
        Input in = failed.input();
        FileStamp stamp = in == null ? null : stamps.get(in.file());
        if (stamp != null) {
            try {
                stamp.throwIfChanged(in.file(), failed);
            } catch (FileStamp.FileChangedException changed) {
                return ConversionException.of(in, changed);
            }
        }
        return failed;
    }

    /// {@return what [#run()] would do, worked out as it works it out, without reading a row or
    /// taking any memory}: the parts, the workers, the memory, each input's estimated rows
    public ConversionPreview preview() throws IOException {
        Planned planned = plan();
        ConversionPlan plan = planned.plan();
        SlotBudget b = planned.budget();
        List<ConversionPreview.Dataset> datasets = new java.util.ArrayList<>();
        for (Input in : plan.inputs()) {
            long[] row = rowShape(in.index());
            long rowBytes = dtype.itemSize();
            for (long d : row) {
                rowBytes *= d;
            }
            datasets.add(new ConversionPreview.Dataset(in, row, rowBytes, plan.estimatedRows(in), plan.partsOf(in.index())));
        }
        ConversionPreview preview = new ConversionPreview(datasets, b.workers(), b.chunkRows(), b.slotCount(), b.slotBytes(),
                b.sinkBytes());
        for (Map.Entry<Integer, Throwable> f : failedBefore.entrySet()) {
            preview = preview.failing(plan.inputs().get(f.getKey()), f.getValue());
        }
        return preview;
    }

    private record Planned(ConversionPlan plan, SlotBudget budget) {
    }

    private Planned plan() throws IOException {
        // No more workers than parts: a worker without a part would only cost its start (a JVM, in
        // process isolation) and its share of the memory. Cutting parts smaller (below) only adds
        // parts, so the parts cut to share out the workers say how many can have one.
        ConversionPlan whole = ConversionPlan.of(files, datasets, format, workers.size(), minPartBytes, Long.MAX_VALUE);
        int active = Math.max(1, Math.min(workers.size(), whole.parts().size()));
        SlotBudget budget = SlotBudget.of(memoryBytes, chunkRows, dtype, widestRow(), active, sink, workers)
                .forRows(whole.rowsBound());
        ConversionPlan plan = ConversionPlan.of(files, datasets, format, active, minPartBytes, budget.maxPartBytes());
        return new Planned(plan, budget.withWorkers(Math.max(1, Math.min(active, plan.parts().size()))));
    }

    /// {@return the shape of a row of input `input`}: none for a record, `{columns}` for a grid's row
    private long[] rowShape(int input) {
        return columns == null ? new long[0] : new long[]{columns[input]};
    }

    /// {@return the shape of the widest row of any input}: a slot holds a chunk of those
    private long[] widestRow() {
        return columns == null ? new long[0] : new long[]{java.util.Arrays.stream(columns).max().orElse(1)};
    }

    /// Options of a conversion.
    public static final class Builder {
        private final DType dtype;
        private final List<Path> files;
        private final TableSink sink;
        private final Workers workers;
        private List<String> datasets; // null: DatasetNames.of each file
        private long memoryBytes; // 0: the default for the workers
        private long chunkRows;
        private boolean keepGoing;
        private long minPartBytes = 8L << 20;
        private long[] columns;
        private InputFormat format = InputFormat.PLAIN;
        private final Map<Integer, Throwable> failedBefore = new HashMap<>();

        private Builder(DType dtype, List<Path> files, TableSink sink, Workers workers) {
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            this.files = List.copyOf(files);
            this.sink = Objects.requireNonNull(sink, "sink");
            this.workers = Objects.requireNonNull(workers, "workers");
        }

        /// The datasets the inputs become, one per file in order (default: [DatasetNames#of(Path)]
        /// of each); see [DatasetNames#of(List, NameTemplate, String)].
        public Builder datasets(List<String> names) {
            if (names.size() != files.size()) {
                throw new IllegalArgumentException(files.size() + " inputs and " + names.size() + " dataset names");
            }
            this.datasets = List.copyOf(names);
            return this;
        }

        /// Memory for chunk slots and the sink's buffers, in bytes (default [#defaultMemory(int)]).
        /// A budget too small for both goes to the slots, with the sink's buffers on top; at least
        /// two chunks per worker. The slots get less where their memory has less to give
        /// ([Workers#fitSlotMemory(long, long)]: shared memory for worker processes).
        ///
        /// @throws IllegalArgumentException when `bytes` is not positive
        public Builder memoryBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("memory must be positive, not " + bytes + " bytes");
            }
            this.memoryBytes = bytes;
            return this;
        }

        /// Rows per chunk (default: about 1 MiB of records).
        public Builder chunkRows(long rows) {
            this.chunkRows = rows;
            return this;
        }

        /// Whether a failed input is left out and the rest converted (default: the first failure stops the run).
        public Builder keepGoing(boolean keepGoing) {
            this.keepGoing = keepGoing;
            return this;
        }

        /// Input `index` (0-based, in the order of the files) failed with `why` before the run,
        /// where its caller read the start of every input (a header that differs from the first
        /// input's, a file gone): keeping going, it is listed among the failures as one that
        /// fails in a worker is, and no part of it is read. Without [#keepGoing(boolean)], the
        /// caller throws `why` instead.
        ///
        /// @throws IllegalArgumentException when `index` is not an input's
        public Builder failedBefore(int index, Throwable why) {
            Objects.checkIndex(index, files.size());
            this.failedBefore.put(index, Objects.requireNonNull(why, "why"));
            return this;
        }

        /// The smallest byte range an input is cut into ([ConversionPlan]); `Long.MAX_VALUE` reads
        /// every input whole.
        public Builder minPartBytes(long bytes) {
            this.minPartBytes = bytes;
            return this;
        }

        /// For a plain dtype, to make each input a grid of rows × columns: the columns of each
        /// input, in the order of the files (without, a row is one value). Every row of an input must have its columns (the
        /// text loader's strict rule); a slot holds a chunk of rows of the widest input.
        public Builder columns(long[] perInput) {
            this.columns = perInput.clone();
            return this;
        }

        /// What the inputs are (default [InputFormat#PLAIN]): which of them can be cut into byte
        /// ranges, and their text for the row estimates. The readers' own: the text loader's
        /// readers read gzip too, and take `io.ferry.convert.TextParts#FORMAT`.
        public Builder format(InputFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /// {@return the conversion}
        /// @throws IllegalArgumentException for columns with a structured dtype, or not one per input
        public Pipeline build() {
            return new Pipeline(this);
        }
    }
}
