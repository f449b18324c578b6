package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.pipeline.WorkerReports.Report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Appends each filled slot to its input's dataset in file order: chunks of a part in `seq` order,
/// parts in index order, whatever order the workers fill them in. A chunk that comes early (a later
/// part's, or a later chunk's) waits in its slot until the chunks before it are written.
///
/// The writer owns the datasets: it opens them, finishes each when its last part is written, and
/// discards a failed input's. It runs on the conversion's thread only.
final class InOrderWriter {
    private final ConversionPlan plan;
    private final DType dtype;
    private final TableSink sink;
    private final SlotBudget budget;
    private final SlotPool slots;
    private final PartQueue parts;
    private final ConversionProgress prog;
    private final DatasetAppender[] appenders;
    private final int[] nextPart;
    private final int[] nextSeq;
    private final int[] partCount;
    private final long[] rows;
    private final List<Map<Long, Report.Chunk>> early = new ArrayList<>();
    private final List<Map<Integer, Integer>> partChunks = new ArrayList<>();
    private final Map<Input, Throwable> failures = new LinkedHashMap<>();

    InOrderWriter(ConversionPlan plan, DType dtype, TableSink sink, SlotBudget budget, SlotPool slots, PartQueue parts,
                  ConversionProgress prog) {
        this.plan = plan;
        this.dtype = dtype;
        this.sink = sink;
        this.budget = budget;
        this.slots = slots;
        this.parts = parts;
        this.prog = prog;
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

    void chunk(Report.Chunk c) throws IOException {
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
            Report.Chunk c = early.get(in).remove(key(nextPart[in], nextSeq[in]));
            if (c != null) {
                NdArray chunk = NdArray.wrap(dtype, slots.slots().slot(c.slot()), c.rows());
                appenders[in].append(chunk);
                slots.release(c.worker(), c.slot());
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
        for (Report.Chunk c : early.get(in.index()).values()) {
            slots.release(c.worker(), c.slot());
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
        for (Map<Long, Report.Chunk> waiting : early) {
            for (Report.Chunk c : waiting.values()) {
                slots.release(c.worker(), c.slot());
            }
            waiting.clear();
        }
    }

    /// Inputs left unfinished when every worker stopped (all child JVMs died) fail here.
    void checkComplete(boolean keepGoing) {
        for (Input in : plan.inputs()) {
            int i = in.index();
            if (!parts.inputFailed(i) && nextPart[i] != partCount[i]) {
                FerryException why = new FerryException(in.file() + ": not converted, no worker was left to parse it");
                if (!keepGoing) {
                    throw ConversionException.of(in, why);
                }
                parts.failInput(i);
                fail(in, why);
            }
        }
    }

    /// {@return the rows written, per input}
    long[] rows() {
        return rows;
    }

    /// {@return the inputs that failed, with why}
    Map<Input, Throwable> failures() {
        return Map.copyOf(failures);
    }

    private static long key(int part, int seq) {
        return ((long) part << 32) | (seq & 0xFFFF_FFFFL);
    }
}
