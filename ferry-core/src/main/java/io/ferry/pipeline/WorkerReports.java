package io.ferry.pipeline;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/// What workers tell the conversion's thread, in one queue in the order it happens: a chunk filled,
/// a part done or failed, a worker stopped. The bytes they read go straight to the progress.
final class WorkerReports {
    /// One thing a worker tells.
    sealed interface Report {
        /// Worker `worker` filled `slot` with `rows` records: chunk `seq` of `part`.
        record Chunk(int worker, int slot, Part part, int seq, long rows) implements Report {
        }

        /// `part` is finished in `chunks` chunks.
        record PartDone(Part part, int chunks) implements Report {
        }

        /// `part` failed.
        record PartFailed(Part part, Throwable why) implements Report {
        }

        /// Worker `worker` stopped; `why` is null when it simply ran out of parts.
        record WorkerDone(int worker, Throwable why) implements Report {
        }
    }

    private final BlockingQueue<Report> queue = new LinkedBlockingQueue<>();
    private final ConversionProgress progress;

    WorkerReports(ConversionProgress progress) {
        this.progress = progress;
    }

    void chunk(int worker, int slot, Part part, int seq, long rows) throws InterruptedException {
        progress.addParsedRows(part.input(), rows); // before the writer can count them written
        queue.put(new Report.Chunk(worker, slot, part, seq, rows));
    }

    void partDone(Part part, int chunks) throws InterruptedException {
        progress.partParsed(part.input());
        queue.put(new Report.PartDone(part, chunks));
    }

    void partFailed(Part part, Throwable why) {
        queue.add(new Report.PartFailed(part, why));
    }

    /// Worker `worker` stopped: once, whatever the reason; `why` is null when it ran out of parts.
    void workerDone(int worker, Throwable why) {
        queue.add(new Report.WorkerDone(worker, why));
    }

    /// `delta` more bytes of input `input` were read.
    void bytesRead(int input, long delta) {
        progress.addBytes(input, delta);
    }

    /// {@return the next report}, waiting for one
    Report take() throws InterruptedException {
        return queue.take();
    }
}
