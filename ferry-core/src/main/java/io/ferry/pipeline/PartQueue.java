package io.ferry.pipeline;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/// The parts still to parse, all inputs' in one queue, handed out one at a time to whichever worker
/// asks first: the largest first, as DuckDB's CSV reader schedules its files, so the long parts
/// start early and the small ones even out the end of the run. None is handed out once the run is
/// stopping, and the parts of an input that failed are skipped.
///
/// Largest first is subject to one rule: each input's parts go in file order. Only the first
/// waiting part of each input competes, by its bytes ([ConversionPlan#bytes(Part)]; ties go to the
/// input given first). So no part waits for one handed out after it: a part's chunks wait in its
/// worker's slots only for the earlier parts of its input, which were handed out before it. The
/// part the writer waits for in an input is being parsed or is that input's next to go, and the
/// earliest handed-out part not yet written has its chunks written as they come, so its worker
/// (which holds only chunks of parts handed out before, all written) always gets its slots back
/// ([FreeSlots]: each worker has its own). The writer is never starved and the run cannot
/// deadlock, however the inputs' parts interleave; a worker ahead of the writer holds at most the
/// parts it finished early, each no larger than the plan's bound.
///
/// ```text
///  waiting, by input          competing heads        handed out
///  big  |3|4|5|...|14|        big:3 (8 MB)    ──►    big:3, then big:4 competes
///  s1   |0|                   s1:0 (2.2 MB)
///  s2   |0|                   s2:0 (2.2 MB)
/// ```
///
/// Workers take parts and ask whether their part is still wanted ([#skipped]); the conversion's
/// thread stops the run, fails inputs, and records failed parts ([#failAt]).
final class PartQueue {
    private final ConversionPlan plan;
    /// Each input's parts not handed out yet, in file order.
    private final List<ArrayDeque<Part>> waiting = new ArrayList<>();
    /// The first waiting part of each input that has one: the largest first.
    private final PriorityQueue<Part> heads;
    private final ConversionProgress progress;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Set<Integer> failedInputs = ConcurrentHashMap.newKeySet();
    /// The earliest part known to have failed, in input then file order, while the parts before it
    /// are parsed to learn whether one of them fails first: none after it is handed out.
    private final AtomicReference<Part> failedAt = new AtomicReference<>();

    PartQueue(ConversionPlan plan, ConversionProgress progress) {
        this.plan = plan;
        this.progress = progress;
        for (int i = 0; i < plan.inputs().size(); i++) {
            waiting.add(new ArrayDeque<>());
        }
        for (Part p : plan.parts()) {
            waiting.get(p.input()).add(p);
        }
        heads = new PriorityQueue<>(Math.max(1, waiting.size()), new LargestFirst(plan));
        for (ArrayDeque<Part> parts : waiting) {
            if (!parts.isEmpty()) {
                heads.add(parts.poll());
            }
        }
    }

    /// The largest part first, the earlier input's of two as large. A class, not `Comparator`'s
    /// combinators, whose lambdas were linked at every run's start (8 ms of a one-line conversion).
    private record LargestFirst(ConversionPlan plan) implements Comparator<Part> {
        @Override
        public int compare(Part a, Part b) {
            int bySize = Long.compare(plan.bytes(b), plan.bytes(a));
            return bySize != 0 ? bySize : Integer.compare(a.input(), b.input());
        }
    }

    /// {@return the next part to parse, or null when there is none or the run is stopping}
    Part next() {
        while (!stop.get()) {
            Part p = take();
            if (p == null) {
                return null;
            }
            if (!failedInputs.contains(p.input()) && !afterFailure(p)) {
                progress.stateIfQueued(p.input(), ConversionProgress.State.PARSING);
                return p;
            }
        }
        return null;
    }

    /// {@return the largest competing part, its input's next part competing in its place}, or null
    private synchronized Part take() {
        Part p = heads.poll();
        if (p != null) {
            Part after = waiting.get(p.input()).poll();
            if (after != null) {
                heads.add(after);
            }
        }
        return p;
    }

    /// {@return input `index`}
    Input input(int index) {
        return plan.inputs().get(index);
    }

    /// {@return the file of input `index`}
    Path file(int index) {
        return input(index).file();
    }

    /// {@return whether the run is stopping (a failure, or the end)}
    boolean stopping() {
        return stop.get();
    }

    /// {@return whether input `index` has failed (its remaining parts are skipped)}
    boolean inputFailed(int index) {
        return failedInputs.contains(index);
    }

    /// {@return whether parsing `part` can stop}: the run is stopping, its input failed, or it comes
    /// after a part that failed
    boolean skipped(Part part) {
        return stop.get() || failedInputs.contains(part.input()) || afterFailure(part);
    }

    /// Records that `part` failed, the run to fail with the earliest failure in input then file
    /// order (the error numpy would give, and the one a user fixes first): the parts after it are
    /// skipped, those before it go on. {@return whether it is the earliest failure so far}
    boolean failAt(Part part) {
        while (true) {
            Part earliest = failedAt.get();
            if (earliest != null && FILE_ORDER.compare(part, earliest) >= 0) {
                return false;
            }
            if (failedAt.compareAndSet(earliest, part)) {
                return true;
            }
        }
    }

    private boolean afterFailure(Part part) {
        Part earliest = failedAt.get();
        return earliest != null && FILE_ORDER.compare(part, earliest) > 0;
    }

    /// Input order, then each input's parts in file order.
    private static final Comparator<Part> FILE_ORDER = new FileOrder();

    private record FileOrder() implements Comparator<Part> {
        @Override
        public int compare(Part a, Part b) {
            return a.input() != b.input() ? Integer.compare(a.input(), b.input()) : Integer.compare(a.index(), b.index());
        }
    }

    /// Stops the run: no part is handed out any more.
    void stop() {
        stop.set(true);
    }

    /// Fails input `index`: its remaining parts are skipped. {@return true the first time}
    boolean failInput(int index) {
        return failedInputs.add(index);
    }
}
