package io.ferry.pipeline;

import java.lang.foreign.MemorySegment;

/// The workers of a conversion: threads in this JVM ([ThreadWorkers]) or child JVMs that map the
/// slots as shared memory.
public interface Workers extends AutoCloseable {

    /// {@return `bytes` of slot memory that every worker can fill and the writer can read}
    MemorySegment allocateSlots(long bytes);

    /// Starts the workers. Each takes parts from `work` until there are none, reporting through it,
    /// and calls [WorkContext#workerDone(int)] once when it stops, whatever the reason.
    void start(WorkContext work);

    /// {@return the number of workers}
    int size();

    /// Stops the workers and frees the slot memory. Idempotent.
    @Override
    void close();
}
