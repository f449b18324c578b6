package io.ferry.pipeline;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/// Workers as threads of this JVM, parsing into slots in this process's memory.
public final class ThreadWorkers implements Workers {
    private final int size;
    private final PartReader.Factory readers;
    private final Arena arena = Arena.ofShared();
    private final Thread[] threads;
    private boolean closed;

    /// @param size    number of worker threads
    /// @param readers opens the parts the workers parse
    public ThreadWorkers(int size, PartReader.Factory readers) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one worker, not " + size);
        }
        this.size = size;
        this.readers = readers;
        this.threads = new Thread[size];
    }

    @Override
    public MemorySegment allocateSlots(long bytes) {
        return UntouchedMemory.allocate(bytes, arena);   // page aligned; only the slots used are paid for
    }

    @Override
    public void start(PartQueue parts, SlotPool slots, WorkerReports reports) {
        for (int w = 0; w < slots.workers(); w++) {
            int worker = w;
            threads[w] = Thread.ofPlatform().name("ferry-worker-" + w).daemon().start(() -> loop(parts, slots, reports, worker));
        }
    }

    private void loop(PartQueue parts, SlotPool slots, WorkerReports reports, int worker) {
        Throwable fatal = null;
        try {
            Part part;
            while ((part = parts.next()) != null) {
                Part p = part;
                try {
                    int chunks = PartParsing.parse(parts.file(p.input()), p, readers, slots.slots(), slots.chunkRows(),
                            slots.free(worker), (slot, pp, seq, rows) -> reports.chunk(worker, slot, pp, seq, rows),
                            delta -> reports.bytesRead(p.input(), delta),
                            () -> parts.stopping() || parts.inputFailed(p.input()));
                    if (chunks >= 0) {
                        reports.partDone(p, chunks);
                    }
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception | OutOfMemoryError | StackOverflowError e) {
                    reports.partFailed(p, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fatal = t;
        } finally {
            reports.workerDone(worker, fatal);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread t : threads) {
            if (t != null) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            if (t != null) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        arena.close();
    }
}
