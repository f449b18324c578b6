package io.ferry.pipeline;

/// Told of each chunk a worker filled, in order within its part.
@FunctionalInterface
interface ChunkListener {
    /// Slot `slot` holds `rows` records, chunk `seq` of `part`.
    void chunk(int slot, Part part, int seq, long rows) throws InterruptedException;
}
