package io.ferry.pipeline;

/// The chunk slots of a run and who may fill which: each worker its own run of slots
/// ([SlotBudget#slotsOf(int)]), kept in its [FreeSlots] while free, given back by the writer once
/// written.
final class SlotPool {
    private final ChunkSlots slots;
    private final SlotBudget budget;
    private final FreeSlots[] free;

    /// @param slots the pool's memory, as `budget` cut it
    SlotPool(ChunkSlots slots, SlotBudget budget) {
        if (slots.count() != budget.slotCount() || slots.slotBytes() != budget.slotBytes()) {
            throw new IllegalArgumentException(slots.count() + " slots of " + slots.slotBytes() + " bytes, not as "
                    + budget + " says");
        }
        this.slots = slots;
        this.budget = budget;
        this.free = new FreeSlots[budget.workers()];
        for (int w = 0; w < free.length; w++) {
            free[w] = new FreeSlots(budget.slotsOf(w));
        }
    }

    /// {@return the slots' memory}
    ChunkSlots slots() {
        return slots;
    }

    /// {@return rows per chunk: what a slot holds}
    long chunkRows() {
        return budget.chunkRows();
    }

    /// {@return how many workers share the slots}
    int workers() {
        return free.length;
    }

    /// {@return the slots worker `worker` owns}
    int[] slotsOf(int worker) {
        return budget.slotsOf(worker);
    }

    /// {@return the free slots of worker `worker`}
    FreeSlots free(int worker) {
        return free[worker];
    }

    /// Gives `slot` back to worker `worker`, which owns it.
    void release(int worker, int slot) {
        free[worker].release(slot);
    }
}
