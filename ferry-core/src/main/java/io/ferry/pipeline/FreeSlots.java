package io.ferry.pipeline;

import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/// A worker's free slots: those of its own share of the pool ([SlotBudget#slotsOf(int)]) that it
/// may fill now. It takes one to fill; the writer gives it back once written.
///
/// Each worker has its own share so the worker parsing the earliest unwritten part of an input
/// never waits for slots held by workers further ahead in the file: the writer always makes
/// progress, and the run cannot deadlock whatever order the [PartQueue] hands the inputs' parts
/// out in, as long as each input's go in file order.
final class FreeSlots {
    // Last released, first taken: a worker keeps reusing the few slots the writer keeps up with,
    // and slots it never needs are never touched (the pool's memory is mapped lazily).
    private final BlockingDeque<Integer> free = new LinkedBlockingDeque<>();
    private volatile IntConsumer forward;

    /// @param slots the slot indexes this worker owns
    FreeSlots(int... slots) {
        for (int s : slots) {
            free.add(s);
        }
    }

    /// {@return a free slot}, waiting for one; -1 if `stop` became true while waiting
    int take(BooleanSupplier stop) throws InterruptedException {
        while (!stop.getAsBoolean()) {
            Integer s = free.pollFirst(50, TimeUnit.MILLISECONDS);
            if (s != null) {
                return s;
            }
        }
        return -1;
    }

    /// Gives slot `index` back to its worker.
    void release(int index) {
        IntConsumer f = forward;
        if (f != null) {
            f.accept(index);
        } else {
            free.addFirst(index);
        }
    }

    /// Sends released slots to `where` instead of keeping them here: the worker that fills them
    /// is a child JVM, which keeps its own free slots.
    void forwardTo(IntConsumer where) {
        this.forward = where;
    }
}
