package io.ferry.pipeline;

/// Told of each chunk a worker filled, in order within its part.
@FunctionalInterface
public interface ChunkListener {
    /// Slot `slot` holds `rows` records, chunk `seq` of `part`.
    void chunk(int slot, Part part, int seq, long rows) throws InterruptedException;
}
