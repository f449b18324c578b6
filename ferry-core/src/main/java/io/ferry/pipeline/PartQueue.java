package io.ferry.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/// The parts still to parse, handed out one at a time to whichever worker asks first. None is
/// handed out once the run is stopping, and the parts of an input that failed are skipped.
///
/// Workers take parts and ask whether their input has failed; the conversion's thread stops the run
/// and fails inputs.
final class PartQueue {
    private final ConcurrentLinkedQueue<Part> parts;
    private final List<Input> inputs;
    private final ConversionProgress progress;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Set<Integer> failedInputs = ConcurrentHashMap.newKeySet();

    PartQueue(ConversionPlan plan, ConversionProgress progress) {
        this.parts = new ConcurrentLinkedQueue<>(plan.parts());
        this.inputs = plan.inputs();
        this.progress = progress;
    }

    /// {@return the next part to parse, or null when there is none or the run is stopping}
    Part next() {
        while (!stop.get()) {
            Part p = parts.poll();
            if (p == null || !failedInputs.contains(p.input())) {
                if (p != null) {
                    progress.stateIfQueued(p.input(), ConversionProgress.State.PARSING);
                }
                return p;
            }
        }
        return null;
    }

    /// {@return input `index`}
    Input input(int index) {
        return inputs.get(index);
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

    /// Stops the run: no part is handed out any more.
    void stop() {
        stop.set(true);
    }

    /// Fails input `index`: its remaining parts are skipped. {@return true the first time}
    boolean failInput(int index) {
        return failedInputs.add(index);
    }
}
