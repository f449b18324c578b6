package io.ferry.pipeline;

import io.ferry.pipeline.WorkContext.Event;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/// The conversion's thread while the workers run: takes what they report, in the order it comes,
/// hands chunks and finished parts to the [InOrderWriter], and decides what a failure does.
///
/// The first failure stops the run: the workers are told to stop, every slot is given back, and
/// once every worker has stopped the failure is thrown, naming its input. Keeping going, a failed
/// part fails only its input: its dataset is discarded and the other inputs go on.
final class EventLoop {
    private final ConversionPlan plan;
    private final InOrderWriter writer;
    private final SlotLease[] leases;
    private final BlockingQueue<Event> events;
    private final AtomicBoolean stop;
    private final Set<Integer> failedInputs;
    private final boolean keepGoing;
    private Throwable first;
    private Input firstInput;

    EventLoop(ConversionPlan plan, InOrderWriter writer, SlotLease[] leases, BlockingQueue<Event> events,
              AtomicBoolean stop, Set<Integer> failedInputs, boolean keepGoing) {
        this.plan = plan;
        this.writer = writer;
        this.leases = leases;
        this.events = events;
        this.stop = stop;
        this.failedInputs = failedInputs;
        this.keepGoing = keepGoing;
    }

    /// Runs until all `workers` have stopped.
    /// @throws ConversionException for the first failure (unless keeping going), naming the input
    void run(int workers) throws InterruptedException {
        int running = workers;
        while (running > 0) {
            switch (events.take()) {
                case Event.Chunk c -> {
                    if (first != null || failedInputs.contains(c.part().input())) {
                        leases[c.worker()].release(c.slot());
                    } else {
                        try {
                            writer.chunk(c);
                        } catch (IOException | RuntimeException ex) {
                            stop(ex, input(c.part()));
                        }
                    }
                }
                case Event.PartDone d -> {
                    if (first == null && !failedInputs.contains(d.part().input())) {
                        try {
                            writer.partDone(d.part(), d.chunks());
                        } catch (IOException | RuntimeException ex) {
                            stop(ex, input(d.part()));
                        }
                    }
                }
                case Event.PartFailed f -> {
                    Input in = input(f.part());
                    if (first == null && keepGoing) {
                        if (failedInputs.add(in.index())) {
                            writer.fail(in, f.why());
                        }
                    } else if (first == null) {
                        stop(f.why(), in);
                    }
                }
                case Event.WorkerDone d -> {
                    running--;
                    if (d.why() != null && first == null) {
                        stop(d.why(), null);
                    }
                }
            }
        }
        stop.set(true);
        if (first != null) {
            throw ConversionException.of(firstInput, first);
        }
        writer.checkComplete(keepGoing);
    }

    /// The run fails with `why`, the first failure; `in` is the input it is about, or null.
    private void stop(Throwable why, Input in) {
        first = why;
        firstInput = in;
        stop.set(true);
        // Chunks that came early (a later part, waiting for an earlier one) hold their workers'
        // slots. Nothing more will be written, so give them back now: a worker waiting for a slot
        // (a child JVM does not see `stop`) would otherwise wait forever.
        writer.releaseEarlyChunks();
    }

    private Input input(Part part) {
        return plan.inputs().get(part.input());
    }
}
