package io.ferry.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/// What a [Workers]'s workers share with the writer: the parts still to do, the slots and each
/// worker's share of them, and the queue of events the writer acts on.
public final class WorkContext {
    private final ConcurrentLinkedQueue<Part> parts;
    private final List<Input> inputs;
    private final ChunkSlots slots;
    private final SlotBudget budget;
    private final SlotLease[] leases;
    private final BlockingQueue<Event> events;
    private final AtomicBoolean stop;
    private final ConversionProgress progress;
    private final java.util.Set<Integer> failedInputs;

    WorkContext(List<Part> parts, List<Input> inputs, ChunkSlots slots, SlotBudget budget, SlotLease[] leases,
                BlockingQueue<Event> events, AtomicBoolean stop, ConversionProgress progress,
                java.util.Set<Integer> failedInputs) {
        this.parts = new ConcurrentLinkedQueue<>(parts);
        this.inputs = inputs;
        this.slots = slots;
        this.budget = budget;
        this.leases = leases;
        this.events = events;
        this.stop = stop;
        this.progress = progress;
        this.failedInputs = failedInputs;
    }

    /// {@return the next part to parse, or null when there is none or the run is stopping}
    public Part nextPart() {
        while (!stop.get()) {
            Part p = parts.poll();
            if (p == null || !failedInputs.contains(p.input())) {
                if (p != null) {
                    progress.stateIfWaiting(p.input(), ConversionProgress.State.RUNNING);
                }
                return p;
            }
        }
        return null;
    }

    /// {@return the file of input `index`}
    public Path file(int index) {
        return inputs.get(index).file();
    }

    public ChunkSlots slots() {
        return slots;
    }

    public long chunkRows() {
        return budget.chunkRows();
    }

    /// {@return how many workers to start}: no more than the [Workers] has, nor than there are parts
    public int workers() {
        return leases.length;
    }

    /// {@return the share of slots of worker `worker`}
    public SlotLease lease(int worker) {
        return leases[worker];
    }

    /// {@return the slot indexes worker `worker` owns}
    public int[] slotsOf(int worker) {
        return budget.slotsOf(worker);
    }

    /// {@return whether the run is stopping (a failure, or the end)}
    public boolean stopping() {
        return stop.get();
    }

    /// {@return whether input `index` has failed (its remaining parts are skipped)}
    public boolean inputFailed(int index) {
        return failedInputs.contains(index);
    }

    public void addBytes(int input, long delta) {
        progress.addBytes(input, delta);
    }

    public void chunk(int worker, int slot, Part part, int seq, long rows) throws InterruptedException {
        events.put(new Event.Chunk(worker, slot, part, seq, rows));
    }

    public void partDone(Part part, int chunks) throws InterruptedException {
        events.put(new Event.PartDone(part, chunks));
    }

    public void partFailed(Part part, Throwable why) {
        events.add(new Event.PartFailed(part, why));
    }

    /// Worker `worker` stopped; `why` is null when it simply ran out of parts.
    public void workerDone(int worker, Throwable why) {
        events.add(new Event.WorkerDone(worker, why));
    }

    /// What workers tell the writer.
    sealed interface Event {
        record Chunk(int worker, int slot, Part part, int seq, long rows) implements Event {
        }

        record PartDone(Part part, int chunks) implements Event {
        }

        record PartFailed(Part part, Throwable why) implements Event {
        }

        record WorkerDone(int worker, Throwable why) implements Event {
        }
    }
}
