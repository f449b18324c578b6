package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.pipeline.WorkContext.Event;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/// Many text files into one sink, in parallel, in bounded memory.
///
/// Workers parse parts of the inputs straight into a fixed pool of chunk slots; this thread, the
/// writer, appends each filled slot to its input's dataset in file order and hands the slot back.
/// Memory for records is the slot pool, whatever the input size; the memory budget holds the
/// pool and the sink's own buffers ([TableSink#workingBytes(DType, long, int)]).
///
/// ```java
/// ConversionResult r;
/// try (TableSink sink = openSink(); ThreadWorkers workers = new ThreadWorkers(2, readers)) {
///     r = Conversion.builder(DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4"), files, sink, workers)
///             .memoryBytes(64 << 20)
///             .build()
///             .run();
///     sink.commit();
/// }
/// ```
public final class Conversion {
    private final DType dtype;
    private final List<Path> files;
    private final TableSink sink;
    private final Workers workers;
    private final long memoryBytes;
    private final long chunkRows;
    private final boolean keepGoing;
    private final long minPartBytes;
    private volatile ConversionProgress progress;

    private Conversion(Builder b) {
        this.dtype = b.dtype;
        this.files = List.copyOf(b.files);
        this.sink = b.sink;
        this.workers = b.workers;
        this.memoryBytes = b.memoryBytes; // 0: the default for the workers that run
        this.chunkRows = b.chunkRows;
        this.keepGoing = b.keepGoing;
        this.minPartBytes = b.minPartBytes;
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
        // No more workers than parts: a worker without a part would only cost its start (a JVM, in
        // process isolation) and its share of the memory. Cutting parts smaller (below) only adds
        // parts, so the parts cut to share out the workers say how many can have one.
        int active = Math.max(1, Math.min(workers.size(), ConversionPlan.of(files, workers.size(), minPartBytes).parts().size()));
        SlotBudget budget = SlotBudget.of(memoryBytes, chunkRows, dtype, active, sink, workers);
        ConversionPlan plan = ConversionPlan.of(files, active, minPartBytes, budget.maxPartBytes());
        budget = budget.withWorkers(Math.max(1, Math.min(active, plan.parts().size())));
        active = budget.workers();
        ConversionProgress prog = new ConversionProgress(plan.inputs());
        this.progress = prog;

        ChunkSlots slots = new ChunkSlots(workers.allocateSlots(budget.slotMemory()), budget.slotCount(), budget.slotBytes());
        SlotLease[] leases = new SlotLease[active];
        for (int w = 0; w < active; w++) {
            leases[w] = new SlotLease(budget.slotsOf(w));
        }

        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        Set<Integer> failedInputs = ConcurrentHashMap.newKeySet();
        WorkContext work = new WorkContext(plan.parts(), plan.inputs(), slots, budget, leases, events, stop,
                prog, failedInputs);
        Writer writer = new Writer(plan, budget, slots, leases, prog, failedInputs);
        writer.openDatasets();
        workers.start(work);

        Throwable first = null;
        Input firstInput = null;
        boolean released = false;
        int running = active;
        while (running > 0) {
            Event e = events.take();
            switch (e) {
                case Event.Chunk c -> {
                    if (first != null || failedInputs.contains(c.part().input())) {
                        leases[c.worker()].release(c.slot());
                    } else {
                        try {
                            writer.chunk(c);
                        } catch (IOException | RuntimeException ex) {
                            first = ex;
                            firstInput = plan.inputs().get(c.part().input());
                            stop.set(true);
                        }
                    }
                }
                case Event.PartDone d -> {
                    if (first == null && !failedInputs.contains(d.part().input())) {
                        try {
                            writer.partDone(d.part(), d.chunks());
                        } catch (IOException | RuntimeException ex) {
                            first = ex;
                            firstInput = plan.inputs().get(d.part().input());
                            stop.set(true);
                        }
                    }
                }
                case Event.PartFailed f -> {
                    Input in = plan.inputs().get(f.part().input());
                    if (keepGoing && first == null) {
                        if (failedInputs.add(in.index())) {
                            writer.fail(in, f.why());
                        }
                    } else if (first == null) {
                        first = f.why();
                        firstInput = in;
                        stop.set(true);
                    }
                }
                case Event.WorkerDone d -> {
                    running--;
                    if (d.why() != null && first == null) {
                        first = d.why();
                        stop.set(true);
                    }
                }
            }
            if (first != null && !released) {
                // Chunks that came early (a later part, waiting for an earlier one) hold their
                // workers' slots. Nothing more will be written, so give them back now: a worker
                // waiting for a slot (a child JVM does not see `stop`) would otherwise wait forever.
                writer.releaseEarlyChunks();
                released = true;
            }
        }
        stop.set(true);
        if (first != null) {
            throw ConversionException.of(firstInput, first);
        }
        writer.checkComplete(keepGoing);
        return new ConversionResult(plan.inputs(), writer.rows, Map.copyOf(writer.failures), prog.totalBytesRead(),
                prog.elapsedSeconds(), active);
    }

    /// The writer's state: per input, the next (part, seq) to write and the chunks that came early.
    private final class Writer {
        private final ConversionPlan plan;
        private final SlotBudget budget;
        private final ChunkSlots slots;
        private final SlotLease[] leases;
        private final ConversionProgress prog;
        private final Set<Integer> failedInputs;
        private final DatasetAppender[] appenders;
        private final int[] nextPart;
        private final int[] nextSeq;
        private final int[] partCount;
        private final long[] rows;
        private final List<Map<Long, Event.Chunk>> early = new ArrayList<>();
        private final List<Map<Integer, Integer>> partChunks = new ArrayList<>();
        private final Map<Input, Throwable> failures = new LinkedHashMap<>();

        Writer(ConversionPlan plan, SlotBudget budget, ChunkSlots slots, SlotLease[] leases, ConversionProgress prog,
               Set<Integer> failed) {
            this.plan = plan;
            this.budget = budget;
            this.slots = slots;
            this.leases = leases;
            this.prog = prog;
            this.failedInputs = failed;
            int n = plan.inputs().size();
            appenders = new DatasetAppender[n];
            nextPart = new int[n];
            nextSeq = new int[n];
            partCount = new int[n];
            rows = new long[n];
            for (int i = 0; i < n; i++) {
                early.add(new HashMap<>());
                partChunks.add(new HashMap<>());
                partCount[i] = plan.partsOf(i);
            }
        }

        /// Opens every input's dataset, in chunks no larger than the input is likely to be: the one
        /// place the row estimate is applied.
        void openDatasets() throws IOException {
            for (Input in : plan.inputs()) {
                appenders[in.index()] = sink.dataset(in.dataset(), dtype, in.file(), budget.chunkRowsFor(RowEstimate.of(in)));
            }
        }

        void chunk(Event.Chunk c) throws IOException {
            int in = c.part().input();
            early.get(in).put(key(c.part().index(), c.seq()), c);
            drain(in);
        }

        void partDone(Part p, int chunks) throws IOException {
            partChunks.get(p.input()).put(p.index(), chunks);
            drain(p.input());
        }

        private void drain(int in) throws IOException {
            while (nextPart[in] < partCount[in]) {
                Event.Chunk c = early.get(in).remove(key(nextPart[in], nextSeq[in]));
                if (c != null) {
                    NdArray chunk = NdArray.wrap(dtype, slots.slot(c.slot()), c.rows());
                    appenders[in].append(chunk);
                    leases[c.worker()].release(c.slot());
                    rows[in] += c.rows();
                    prog.addRows(in, c.rows());
                    nextSeq[in]++;
                    continue;
                }
                Integer done = partChunks.get(in).get(nextPart[in]);
                if (done != null && done == nextSeq[in]) {
                    nextPart[in]++;
                    nextSeq[in] = 0;
                    if (nextPart[in] == partCount[in]) {
                        appenders[in].finish(rows[in]);
                        prog.state(in, ConversionProgress.State.DONE);
                    }
                    continue;
                }
                return;
            }
        }

        void fail(Input in, Throwable why) {
            failures.put(in, why);
            prog.state(in.index(), ConversionProgress.State.FAILED);
            for (Event.Chunk c : early.get(in.index()).values()) {
                leases[c.worker()].release(c.slot());
            }
            early.get(in.index()).clear();
            rows[in.index()] = 0;
            try {
                appenders[in.index()].discard();
            } catch (IOException | RuntimeException e) {
                why.addSuppressed(e);
            }
        }

        void releaseEarlyChunks() {
            for (Map<Long, Event.Chunk> waiting : early) {
                for (Event.Chunk c : waiting.values()) {
                    leases[c.worker()].release(c.slot());
                }
                waiting.clear();
            }
        }

        /// Inputs left unfinished when every worker stopped (all child JVMs died) fail here.
        void checkComplete(boolean keepGoing) {
            for (Input in : plan.inputs()) {
                int i = in.index();
                if (!failedInputs.contains(i) && nextPart[i] != partCount[i]) {
                    FerryException why = new FerryException(in.file() + ": not converted, no worker was left to parse it");
                    if (!keepGoing) {
                        throw ConversionException.of(in, why);
                    }
                    failedInputs.add(i);
                    fail(in, why);
                }
            }
        }

        private static long key(int part, int seq) {
            return ((long) part << 32) | (seq & 0xFFFF_FFFFL);
        }
    }

    /// Options of a conversion.
    public static final class Builder {
        private final DType dtype;
        private final List<Path> files;
        private final TableSink sink;
        private final Workers workers;
        private long memoryBytes; // 0: the default for the workers
        private long chunkRows;
        private boolean keepGoing;
        private long minPartBytes = 8L << 20;

        private Builder(DType dtype, List<Path> files, TableSink sink, Workers workers) {
            this.dtype = Objects.requireNonNull(dtype, "dtype");
            this.files = List.copyOf(files);
            this.sink = Objects.requireNonNull(sink, "sink");
            this.workers = Objects.requireNonNull(workers, "workers");
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

        /// The smallest byte range a large input is cut into when there are fewer inputs than workers.
        public Builder minPartBytes(long bytes) {
            this.minPartBytes = bytes;
            return this;
        }

        public Conversion build() {
            return new Conversion(this);
        }
    }
}
