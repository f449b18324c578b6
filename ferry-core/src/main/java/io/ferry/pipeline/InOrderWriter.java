package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.pipeline.WorkerReports.Report;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/// Appends each filled slot to its input's dataset in file order: chunks of a part in `seq` order,
/// parts in index order, whatever order the workers fill them in. A chunk that comes early (a later
/// part's, or a later chunk's) waits in its slot until the chunks before it are written.
///
/// The writer owns the datasets: it opens them, finishes each when its last part is written, and
/// discards a failed input's. It runs on the conversion's thread only.
final class InOrderWriter {
    private final ConversionPlan plan;
    private final DType dtype;
    private final SlotPool slots;
    private final PartQueue parts;
    private final ConversionProgress progress;
    private final IntFunction<long[]> rowShape;
    private final Dataset[] datasets;
    private final Map<Input, Throwable> failures = new LinkedHashMap<>();

    /// Opens every input's dataset, in chunks no larger than the input is likely to be: the one
    /// place the row estimate is applied.
    /// @param rowShape the shape of a row of each input: none for records, `{columns}` for a grid
    InOrderWriter(ConversionPlan plan, DType dtype, IntFunction<long[]> rowShape, TableSink sink, SlotBudget budget,
                  SlotPool slots, PartQueue parts, ConversionProgress progress) throws IOException {
        this.plan = plan;
        this.dtype = dtype;
        this.rowShape = rowShape;
        this.slots = slots;
        this.parts = parts;
        this.progress = progress;
        datasets = new Dataset[plan.inputs().size()];
        for (Input in : plan.inputs()) {
            datasets[in.index()] = new Dataset(sink.dataset(in.dataset(), dtype, in.file(),
                    budget.chunkRowsFor(plan.estimatedRows(in)), rowShape.apply(in.index())), plan.partsOf(in.index()));
        }
    }

    /// An input's dataset, and how far it is written.
    private static final class Dataset {
        final DatasetAppender appender;
        final int parts;
        /// The next chunk to write: chunk `nextSeq` of part `nextPart`.
        int nextPart;
        int nextSeq;
        long rows;
        /// Chunks that came before their turn, by [#key(int, int)].
        final Map<Long, Report.Chunk> early = new HashMap<>();
        /// How many chunks each finished part has, by part index.
        final Map<Integer, Integer> partChunks = new HashMap<>();

        Dataset(DatasetAppender appender, int parts) {
            this.appender = appender;
            this.parts = parts;
        }

        boolean complete() {
            return nextPart == parts;
        }
    }

    void chunk(Report.Chunk c) throws IOException {
        datasets[c.part().input()].early.put(key(c.part().index(), c.seq()), c);
        drain(c.part().input());
    }

    void partDone(Part p, int chunks) throws IOException {
        datasets[p.input()].partChunks.put(p.index(), chunks);
        drain(p.input());
    }

    /// Writes what input `in` has in turn, and finishes its dataset after its last part.
    private void drain(int in) throws IOException {
        Dataset d = datasets[in];
        while (!d.complete()) {
            Report.Chunk c = d.early.remove(key(d.nextPart, d.nextSeq));
            if (c != null) {
                d.appender.append(NdArray.wrap(dtype, slots.slots().slot(c.slot()), shape(c.rows(), rowShape.apply(in))));
                slots.release(c.worker(), c.slot());
                d.rows += c.rows();
                progress.addRows(in, c.rows());
                d.nextSeq++;
                continue;
            }
            Integer done = d.partChunks.get(d.nextPart);
            if (done != null && done == d.nextSeq) {
                d.nextPart++;
                d.nextSeq = 0;
                if (d.complete()) {
                    d.appender.finish(d.rows);
                    progress.state(in, ConversionProgress.State.WRITTEN);
                }
                continue;
            }
            return;
        }
    }

    /// Input `in` failed: its waiting chunks' slots go back, its dataset is discarded.
    void fail(Input in, Throwable why) {
        Dataset d = datasets[in.index()];
        failures.put(in, why);
        progress.state(in.index(), ConversionProgress.State.FAILED);
        release(d);
        d.rows = 0;
        try {
            d.appender.discard();
        } catch (IOException | RuntimeException e) {
            why.addSuppressed(e);
        }
    }

    /// Gives back the slots of every chunk that came early: nothing more will be written.
    void releaseEarlyChunks() {
        for (Dataset d : datasets) {
            release(d);
        }
    }

    /// Inputs left unfinished when every worker stopped (all child JVMs died) fail here.
    void checkComplete(boolean keepGoing) {
        for (Input in : plan.inputs()) {
            if (!parts.inputFailed(in.index()) && !datasets[in.index()].complete()) {
                FerryException why = new FerryException(in.file() + ": not converted, no worker was left to parse it");
                if (!keepGoing) {
                    throw ConversionException.of(in, why);
                }
                parts.failInput(in.index());
                fail(in, why);
            }
        }
    }

    /// {@return the rows written, per input}
    long[] rows() {
        long[] rows = new long[datasets.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = datasets[i].rows;
        }
        return rows;
    }

    /// {@return the inputs that failed, with why, in input order}: as they are listed (Map.copyOf's
    /// order, which is none, listed them differently from run to run)
    Map<Input, Throwable> failures() {
        if (failures.isEmpty()) {
            return Map.of();
        }
        Map<Input, Throwable> inOrder = new java.util.TreeMap<>((a, b) -> Integer.compare(a.index(), b.index()));
        inOrder.putAll(failures);
        return java.util.Collections.unmodifiableMap(inOrder);
    }

    private void release(Dataset d) {
        for (Report.Chunk c : d.early.values()) {
            slots.release(c.worker(), c.slot());
        }
        d.early.clear();
    }

    /// {@return the shape of `rows` rows of shape `row`}
    private static long[] shape(long rows, long[] row) {
        long[] s = new long[row.length + 1];
        s[0] = rows;
        System.arraycopy(row, 0, s, 1, row.length);
        return s;
    }

    private static long key(int part, int seq) {
        return ((long) part << 32) | (seq & 0xFFFF_FFFFL);
    }
}
