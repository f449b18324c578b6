package io.ferry.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// Workers as threads of this JVM, parsing into slots in this process's memory.
public final class ThreadWorkers extends Workers {
    private final PartReader.Factory readers;
    private final Arena arena = Arena.ofShared();
    private boolean closed;

    /// @param size    number of worker threads
    /// @param readers opens the parts the workers parse
    public ThreadWorkers(int size, PartReader.Factory readers) {
        super(size, "ferry-worker-");
        this.readers = readers;
    }

    /// A pool up to this size is taken zeroed from the arena: touching its pages costs less than a
    /// small conversion's first `mmap` call through FFM (linking it: 25-30 ms on a small VM).
    static final long ZEROED_POOL_BYTES = 8L << 20;

    @Override
    MemorySegment allocateSlots(long bytes) {
        if (bytes <= ZEROED_POOL_BYTES) {
            return arena.allocate(bytes, UntouchedMemory.PAGE);
        }
        return UntouchedMemory.allocate(bytes, arena);   // page aligned; only the slots used are paid for
    }

    /// A part that fails (an exception, or a parse too deep or too big for this thread) fails alone;
    /// the worker goes on with the next.
    @Override
    void work(PartQueue parts, SlotPool slots, WorkerReports reports, int worker) throws InterruptedException {
        Part part;
        while ((part = parts.next()) != null) {
            Part p = part;
            try {
                int chunks = PartParsing.parse(parts.file(p.input()), p, readers, slots.slots(), slots.chunkRows(),
                        slots.free(worker), (slot, pp, seq, rows) -> reports.chunk(worker, slot, pp, seq, rows),
                        delta -> reports.bytesRead(p.input(), delta),
                        () -> parts.skipped(p));
                if (chunks >= 0) {
                    reports.partDone(p, chunks);
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                reports.partFailed(p, e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopThreads();
        arena.close();
    }
}
