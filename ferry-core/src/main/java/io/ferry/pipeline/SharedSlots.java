package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.shm.SegmentRegistry;
import io.ferry.shm.SharedMemoryException;
import io.ferry.shm.SharedMemoryFullException;
import io.ferry.shm.SharedMemorySpace;
import io.ferry.shm.SharedSegment;
import io.ferry.Sizes;
import io.ferry.shm.Sweep;

import java.lang.foreign.MemorySegment;

/// The slot pool of worker processes: named shared memory that every child maps, so a slot a child
/// filled is written by the parent without a copy.
///
/// It takes at most half of what `/dev/shm` has free, once what Ferry processes that are gone left
/// there has been swept. Its pages are supplied as workers first fill them, so the rest stays for
/// other programs without this run's workers running out. Its name goes as soon as every child has
/// mapped it ([#unlink()]), so whoever dies then, even by `kill -9`, nothing of the run stays in
/// `/dev/shm`.
final class SharedSlots implements AutoCloseable {
    /// What to do when shared memory is short.
    private static final String REMEDY = "free some (ferry shm list, ferry shm clean), enlarge it (Docker: --shm-size),"
            + " or convert with --isolation thread, which needs none";

    private final SegmentRegistry registry = SegmentRegistry.open("ferry convert slots");
    private SharedSegment memory;
    private boolean swept;

    /// {@return `wanted` bytes, or what half of the free shared memory holds when that is less}
    /// @throws FerryException when `/dev/shm` is missing or not even `least` fits, naming the remedies
    long fit(long wanted, long least) {
        SharedMemorySpace space = space();
        long room = space.free() / 2;
        if (wanted <= room) {
            return wanted;
        }
        if (least <= room) {
            return room;
        }
        throw new FerryException("worker processes fill their chunk slots in shared memory, and " + space
                + ": their slots need at least " + Sizes.human(least) + " (2 chunks per worker), and a run takes at most"
                + " half of what is free; " + REMEDY + "; or ask for less: fewer --workers, a smaller --chunk-rows");
    }

    /// {@return `bytes` of new shared memory}, its pages reserved as they are first touched
    MemorySegment allocate(long bytes) {
        space();
        try {
            memory = registry.createOnTouch(bytes);   // slots never filled cost nothing
        } catch (SharedMemoryFullException e) {
            throw new FerryException(e.getMessage() + "; or convert with --isolation thread, which needs no shared memory", e);
        }
        return memory.memory();
    }

    /// {@return the name a child maps the slots by}
    String name() {
        return memory.name();
    }

    /// Removes the name: every child that will map the slots has.
    void unlink() {
        memory.unlink();
    }

    /// {@return the failure to report for `fault`, a page of the slots that a worker could not have}
    static FerryException fault(InternalError fault) {
        String space;
        boolean exhausted;
        try {
            SharedMemorySpace now = SharedMemorySpace.now();
            space = now.toString();
            exhausted = now.exhausted();
        } catch (SharedMemoryException e) {
            space = e.getMessage();
            exhausted = false;
        }
        return new FerryException((exhausted ? "shared memory ran out (" + space + ")"
                : "a page of shared memory could not be had (" + space + " now: it ran out, or the slots were truncated)")
                + " while a worker process filled a chunk slot; " + REMEDY + "; or ask for less: a smaller --memory", fault);
    }

    /// Unmaps the slots (and removes the name, if no child ever mapped them), and closes the registry.
    @Override
    public void close() {
        if (memory != null) {
            memory.close();
        }
        registry.close();
    }

    /// {@return the room in `/dev/shm`}, once segments of Ferry processes that are gone have been
    /// removed (the first call sweeps)
    private SharedMemorySpace space() {
        try {
            SharedMemorySpace space = SharedMemorySpace.now();
            if (!swept) {
                Sweep.run();
                swept = true;
                space = SharedMemorySpace.now();
            }
            return space;
        } catch (SharedMemoryException e) {
            throw new FerryException("worker processes need shared memory, and " + e.getMessage()
                    + "; convert with --isolation thread, which needs none", e);
        }
    }
}
