package io.ferry.pipeline;

import io.ferry.dtype.DType;

/// How a conversion shares out its memory: the rows of a chunk, the slots each worker owns, and
/// what the sink's buffers may hold. Computed once, before any work ([#of]); the slot pool, the
/// workers, the planner and the sink all take their numbers from it.
///
/// ```text
///  memory: --memory, else 32 MiB per worker and at least 64 MiB
///  +-----------------------------+-----------------------------+-----+------------------+
///  | worker 0's slots            | worker 1's slots            | ... | the sink's       |
///  | slotsPerWorker × slotBytes  | slotsPerWorker × slotBytes  |     | buffers          |
///  +-----------------------------+-----------------------------+-----+------------------+
///  slotBytes = chunkRows × row bytes (itemsize × a grid row's columns)  sinkBytes
/// ```
///
/// Each worker owns a contiguous run of slots ([#slotsOf(int)]), at least two: one it fills while
/// the writer writes the other. A budget too small for the slots and the sink's buffers gives the
/// slots all of it, and the buffers come on top; one too small for two slots per worker is an
/// error that says how much is needed.
///
/// @param chunkRows      rows per chunk, which is what a slot holds
/// @param slotBytes      bytes per slot: `chunkRows` records
/// @param workers        the workers that run
/// @param slotsPerWorker the slots each worker owns
/// @param sinkBytes      what the sink's buffers hold at most, counted in the budget
record SlotBudget(long chunkRows, long slotBytes, int workers, int slotsPerWorker, long sinkBytes) {
    /// Default memory per worker: every worker has the same room however many there are (a total
    /// fixed for all would leave each of many workers fewer than the two slots it needs).
    static final long DEFAULT_MEMORY_PER_WORKER = 32L << 20;
    /// The least default memory, whatever the workers: room for slots and compression buffers.
    static final long MIN_DEFAULT_MEMORY = 64L << 20;
    /// Default chunk: about 1 MiB of records.
    static final long DEFAULT_CHUNK_BYTES = 1L << 20;

    SlotBudget {
        if (chunkRows < 1 || slotBytes < 1 || workers < 1 || slotsPerWorker < 2 || sinkBytes < 0) {
            throw new IllegalArgumentException("no budget: " + chunkRows + " rows, " + slotBytes + " bytes per slot, "
                    + workers + " workers with " + slotsPerWorker + " slots each, " + sinkBytes + " bytes for the sink");
        }
    }

    /// {@return the memory a conversion with `workers` workers gets unless told otherwise}
    static long defaultMemory(int workers) {
        return Math.max(MIN_DEFAULT_MEMORY, Math.multiplyExact(DEFAULT_MEMORY_PER_WORKER, Math.max(1, workers)));
    }

    /// {@return the budget of `workers` workers converting records of `dtype` into `sink`}
    static SlotBudget of(long memoryBytes, long chunkRows, DType dtype, int workers, TableSink sink, Workers slotMemory) {
        return of(memoryBytes, chunkRows, dtype, new long[0], workers, sink, slotMemory);
    }

    /// {@return the budget of `workers` workers converting rows of `dtype` into `sink`}
    /// @param memoryBytes the memory for slots and the sink's buffers; 0 for [#defaultMemory(int)]
    /// @param chunkRows   rows per chunk; 0 for about [#DEFAULT_CHUNK_BYTES] of rows
    /// @param row         the shape of the widest row: none for a record, `{columns}` for a grid
    /// @param slotMemory  where the slots will be: it may have less to give than the budget
    /// @throws MemoryBudgetException when the memory is too small for two chunks per worker
    static SlotBudget of(long memoryBytes, long chunkRows, DType dtype, long[] row, int workers, TableSink sink,
                         Workers slotMemory) {
        long item = dtype.itemSize();
        for (long d : row) {
            item = Math.multiplyExact(item, d);
        }
        long rows = chunkRows > 0 ? chunkRows : Math.max(1, DEFAULT_CHUNK_BYTES / item);
        long slotBytes = Math.multiplyExact(rows, item);
        long budget = memoryBytes > 0 ? memoryBytes : defaultMemory(workers);
        long sinkBytes = sink.workingBytes(dtype, rows, workers, row);
        long perWorker = Math.max(0, budget - sinkBytes) / workers / slotBytes;
        if (perWorker < 2) {
            perWorker = budget / workers / slotBytes;
        }
        if (perWorker < 2) {
            throw new MemoryBudgetException("--memory " + io.ferry.Sizes.human(budget) + " is too small for " + workers
                    + (workers == 1 ? " worker" : " workers") + " with chunks of "
                    + String.format(java.util.Locale.ROOT, "%,d", rows) + " rows (" + io.ferry.Sizes.human(slotBytes)
                    + " each): each worker needs at least 2 chunks, so at least " + io.ferry.Sizes.human(2L * workers * slotBytes)
                    + "; raise --memory or lower --chunk-rows");
        }
        long fitted = slotMemory.fitSlotMemory(perWorker * workers * slotBytes, 2L * workers * slotBytes);
        perWorker = Math.min(perWorker, fitted / workers / slotBytes);
        int slots = (int) Math.min(perWorker, Integer.MAX_VALUE / 2 / workers);
        return new SlotBudget(rows, slotBytes, workers, slots, sinkBytes);
    }

    /// {@return this budget for `fewer` workers}: each keeps its slots; what the others would have had is not used
    SlotBudget withWorkers(int fewer) {
        if (fewer > workers) {
            throw new IllegalArgumentException(fewer + " workers in a budget for " + workers);
        }
        return new SlotBudget(chunkRows, slotBytes, fewer, slotsPerWorker, sinkBytes);
    }

    /// {@return this budget for inputs that hold at most `rows` rows}: chunks of no more rows than
    /// that, and no more slots a worker than those rows fill, and one to spare (two at least). A
    /// small input's pool is then small enough to take as plain zeroed memory
    /// ([ThreadWorkers#allocateSlots(long)]); its datasets' chunks on disk are as before, cut by
    /// their writer ([#chunkRowsFor(long)] is at most the rows).
    SlotBudget forRows(long rows) {
        long fewerRows = Math.max(1, Math.min(chunkRows, rows));
        long fill = Math.ceilDiv(Math.max(1, rows), fewerRows);
        int fewerSlots = (int) Math.max(2, Math.min(slotsPerWorker, fill + 1));
        if (fewerRows == chunkRows && fewerSlots == slotsPerWorker) {
            return this;
        }
        return new SlotBudget(fewerRows, slotBytes / chunkRows * fewerRows, workers, fewerSlots, sinkBytes);
    }

    /// {@return the number of slots in the pool}
    int slotCount() {
        return workers * slotsPerWorker;
    }

    /// {@return the bytes of the slot pool}
    long slotMemory() {
        return slotCount() * slotBytes;
    }

    /// {@return the slots worker `worker` owns}
    int[] slotsOf(int worker) {
        int[] own = new int[slotsPerWorker];
        for (int i = 0; i < slotsPerWorker; i++) {
            own[i] = worker * slotsPerWorker + i;
        }
        return own;
    }

    /// {@return the largest part worth cutting}: a part's records wait in its worker's slots until
    /// the writer reaches them, and a quarter of a worker's slots leaves room for text that is
    /// denser as records than as text
    long maxPartBytes() {
        return Math.max(1, slotsPerWorker * slotBytes / 4);
    }

    /// {@return the rows per chunk of a dataset expected to hold about `expectedRows` rows}: the
    /// budget's, or fewer for a dataset smaller than a chunk, so that a small input does not take a
    /// whole chunk on disk. The estimate is raised by a quarter, being one; -1 (unknown) or 0 keep
    /// the budget's.
    long chunkRowsFor(long expectedRows) {
        long likely = expectedRows > 0 ? expectedRows + expectedRows / 4 + 1 : Long.MAX_VALUE;
        return Math.min(chunkRows, likely);
    }
}
