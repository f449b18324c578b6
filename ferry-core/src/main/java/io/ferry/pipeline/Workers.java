package io.ferry.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/// The workers of a conversion: threads of this JVM ([ThreadWorkers]) or child JVMs that map the
/// slots as shared memory ([ProcessWorkers]).
///
/// Either way each worker is a thread of this JVM (for a child JVM, the thread that speaks for it)
/// that takes parts until there are none and reports what it did; it reports its own end once,
/// whatever the reason. What differs is where the slots are and who parses into them.
public abstract sealed class Workers implements AutoCloseable permits ThreadWorkers, ProcessWorkers {
    private final int size;
    private final String threadName;
    private final List<Thread> threads = new ArrayList<>();

    /// @param threadName the prefix of the worker threads' names, which end in the worker's number
    Workers(int size, String threadName) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one worker, not " + size);
        }
        this.size = size;
        this.threadName = threadName;
    }

    /// {@return the most workers this can start}
    public final int size() {
        return size;
    }

    /// {@return how many bytes of slot memory to allocate: `wanted`, or less where this memory has
    /// less to give}, called before [#allocateSlots(long)]
    /// @param least the least that will do (two chunks per worker)
    /// @throws io.ferry.FerryException when not even `least` can be had, saying what to do instead
    long fitSlotMemory(long wanted, long least) {
        return wanted;
    }

    /// {@return `bytes` of slot memory that every worker can fill and the writer can read}
    abstract MemorySegment allocateSlots(long bytes);

    /// Starts [SlotPool#workers()] workers (never more than [#size()]), each on a thread of its own.
    void start(PartQueue parts, SlotPool slots, WorkerReports reports) {
        synchronized (threads) {
            for (int w = 0; w < slots.workers(); w++) {
                int worker = w;
                threads.add(Thread.ofPlatform().name(threadName + w).daemon().start(() -> run(parts, slots, reports, worker)));
            }
        }
    }

    /// Worker `worker`'s work, on its own thread: takes parts from `parts` until there are none,
    /// parses them into its own slots of `slots`, reports each chunk and part to `reports`.
    /// @throws Exception when the worker cannot go on: the run fails with it
    abstract void work(PartQueue parts, SlotPool slots, WorkerReports reports, int worker) throws Exception;

    /// Stops the workers and frees the slot memory. Idempotent.
    @Override
    public abstract void close();

    /// Interrupts the worker threads and waits for each to end (10 s at most).
    final void stopThreads() {
        List<Thread> started;
        synchronized (threads) {
            started = List.copyOf(threads);
        }
        started.forEach(Thread::interrupt);
        for (Thread t : started) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(PartQueue parts, SlotPool slots, WorkerReports reports, int worker) {
        Throwable fatal = null;
        try {
            work(parts, slots, reports, worker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fatal = t;
        } finally {
            reports.workerDone(worker, fatal);
        }
    }
}
