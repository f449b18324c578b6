package io.ferry.pipeline;

import java.lang.foreign.MemorySegment;

/// The workers of a conversion: threads in this JVM ([ThreadWorkers]) or child JVMs that map the
/// slots as shared memory.
public interface Workers extends AutoCloseable {

    /// {@return how many bytes of slot memory to allocate: `wanted`, or less where this memory has
    /// less to give}, called before [#allocateSlots(long)]
    /// @param least the least that will do (two chunks per worker)
    /// @throws io.ferry.FerryException when not even `least` can be had, saying what to do instead
    default long fitSlotMemory(long wanted, long least) {
        return wanted;
    }

    /// {@return `bytes` of slot memory that every worker can fill and the writer can read}
    MemorySegment allocateSlots(long bytes);

    /// Starts [SlotPool#workers()] workers (never more than [#size()]). Each takes parts from
    /// `parts` until there are none, parses them into its own slots of `slots`, reports to
    /// `reports`, and calls [WorkerReports#workerDone(int, Throwable)] once when it stops, whatever
    /// the reason.
    void start(PartQueue parts, SlotPool slots, WorkerReports reports);

    /// {@return the most workers this can start}
    int size();

    /// Stops the workers and frees the slot memory. Idempotent.
    @Override
    void close();
}
