package io.ferry.pipeline;

import io.ferry.pipeline.WorkerReports.Report;

import java.io.IOException;

/// The conversion's thread while the workers run: takes what they report, in the order it comes,
/// hands chunks and finished parts to the [InOrderWriter], and decides what a failure does.
///
/// A part that fails fails the run with the earliest failure in input then file order, the one
/// numpy would report and a user fixes first, whichever worker came to its failure first: nothing
/// more is written, every slot is given back, the parts after it are skipped, and those before it
/// are parsed to the end (or to an earlier failure); once every worker has stopped, the failure is
/// thrown, naming its input. Any other failure (writing, a worker lost) stops the run at once.
/// Keeping going, a failed part fails only its input: its dataset is discarded and the other
/// inputs go on.
final class EventLoop {
    private final InOrderWriter writer;
    private final SlotPool slots;
    private final PartQueue parts;
    private final WorkerReports reports;
    private final boolean keepGoing;
    private Throwable first;
    private Input firstInput;
    /// The earliest failed part's failure, while the parts before it are parsed: the run's, unless
    /// one of them fails, or the run stops for another reason.
    private Throwable earliest;
    private Input earliestInput;

    EventLoop(InOrderWriter writer, SlotPool slots, PartQueue parts, WorkerReports reports, boolean keepGoing) {
        this.writer = writer;
        this.slots = slots;
        this.parts = parts;
        this.reports = reports;
        this.keepGoing = keepGoing;
    }

    /// Runs until every worker has stopped.
    /// @throws ConversionException for the first failure (unless keeping going), naming the input
    void run() throws InterruptedException {
        int running = slots.workers();
        while (running > 0) {
            switch (reports.take()) {
                case Report.Chunk c -> {
                    if (first != null || earliest != null || parts.inputFailed(c.part().input())) {
                        slots.release(c.worker(), c.slot());
                    } else {
                        try {
                            writer.chunk(c);
                        } catch (IOException | RuntimeException ex) {
                            stop(ex, input(c.part()));
                        }
                    }
                }
                case Report.PartDone d -> {
                    if (first == null && earliest == null && !parts.inputFailed(d.part().input())) {
                        try {
                            writer.partDone(d.part(), d.chunks());
                        } catch (IOException | RuntimeException ex) {
                            stop(ex, input(d.part()));
                        }
                    }
                }
                case Report.PartFailed f -> {
                    Input in = input(f.part());
                    if (first == null && keepGoing) {
                        if (parts.failInput(in.index())) {
                            writer.fail(in, f.why());
                        }
                    } else if (first == null && parts.failAt(f.part())) {
                        if (earliest == null) {
                            writer.releaseEarlyChunks();   // nothing more is written: see stop
                        }
                        earliest = f.why();
                        earliestInput = in;
                    }
                }
                case Report.WorkerDone d -> {
                    running--;
                    if (d.why() != null && first == null) {
                        stop(d.why(), null);
                    }
                }
            }
        }
        parts.stop();
        if (first == null && earliest != null) {
            first = earliest;
            firstInput = earliestInput;
        }
        if (first != null) {
            throw ConversionException.of(firstInput, first);
        }
        writer.checkComplete(keepGoing);
    }

    /// The run fails with `why`, the first failure; `in` is the input it is about, or null.
    private void stop(Throwable why, Input in) {
        first = why;
        firstInput = in;
        parts.stop();
        // Chunks that came early (a later part, waiting for an earlier one) hold their workers'
        // slots. Nothing more will be written, so give them back now: a worker waiting for a slot
        // (a child JVM does not see `stop`) would otherwise wait forever.
        writer.releaseEarlyChunks();
    }

    private Input input(Part part) {
        return parts.input(part.input());
    }
}
