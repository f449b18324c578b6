package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.json.Json;
import io.ferry.proc.ChannelTimeoutException;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerFailedException;
import io.ferry.proc.WorkerOptions;
import io.ferry.proc.WorkerTimeoutException;
import io.ferry.shm.SegmentRegistry;
import io.ferry.shm.SharedMemoryException;
import io.ferry.shm.SharedMemoryFullException;
import io.ferry.shm.SharedMemorySpace;
import io.ferry.shm.SharedSegment;
import io.ferry.shm.Sizes;
import io.ferry.shm.Sweep;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/// Workers as child JVMs ([ParseTask]) that map the slot pool as named shared memory and parse
/// into it: a slot a child filled is appended by the parent without a copy.
///
/// The pool's name is unlinked as soon as every child has mapped it, so whoever dies, even by
/// `kill -9`, nothing of the run stays in `/dev/shm`. A child that dies fails the part it was
/// parsing (naming the file and how the child died); the other children go on with the rest. So
/// does a child that stalls ([#stallTimeout(Duration)]): it is killed first.
public final class ProcessWorkers implements Workers {
    /// How many seconds a worker may make no progress unless told otherwise ([#stallTimeout(Duration)]).
    public static final long DEFAULT_STALL_SECONDS = 60;
    /// How long a child may take to start and map the slots.
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(60);
    /// How long a child may take to exit after its last part.
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /// What to do when shared memory is short.
    private static final String REMEDY = "free some (ferry shm list, ferry shm clean), enlarge it (Docker: --shm-size),"
            + " or convert with --isolation thread, which needs none";
    /// How often a proxy waiting for its child checks whether the run is stopping, and the child
    /// stalled.
    private static final Duration POLL = Duration.ofMillis(200);

    private final int size;
    private final String recipe;
    private final Object config;
    private final WorkerOptions options;
    private final SegmentRegistry registry = SegmentRegistry.open("ferry convert slots");
    private final List<Worker> children = new ArrayList<>();
    private final List<Thread> proxies = new ArrayList<>();
    private Duration stallTimeout = Duration.ofSeconds(DEFAULT_STALL_SECONDS);
    private SharedSegment memory;
    private boolean swept;
    private volatile boolean closed;

    /// @param size    number of child JVMs
    /// @param recipe  makes the children's part readers from `config`
    /// @param config  JSON config for `recipe`
    /// @param options how the children are started
    public ProcessWorkers(int size, Class<? extends PartReaderRecipe> recipe, Object config, WorkerOptions options) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one worker, not " + size);
        }
        this.size = size;
        this.recipe = recipe.getName();
        this.config = config;
        this.options = options;
    }

    /// Sets how long a worker JVM may make no progress while it has a part and slots to fill it
    /// (default [#DEFAULT_STALL_SECONDS]); then it is killed and its part fails, naming it and its
    /// state. Waiting for the writer to give slots back is not a stall, whatever it lasts, and a
    /// stopped worker (`kill -STOP`, a debugger) is given up on after 2 s whatever the limit.
    /// {@return this}
    /// @throws IllegalArgumentException when `limit` is not positive
    public ProcessWorkers stallTimeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the stall timeout must be positive, not " + limit);
        }
        this.stallTimeout = limit;
        return this;
    }

    /// Fits the slots into half of what `/dev/shm` has free (after sweeping what Ferry runs that
    /// are gone left there): the slots' pages are supplied as workers first fill them, so the rest
    /// stays for other programs, and for them to fill, without this run's workers running out.
    /// @throws FerryException when `/dev/shm` is missing or not even `least` fits, naming the remedies
    @Override
    public long fitSlotMemory(long wanted, long least) {
        SharedMemorySpace space = sharedMemory();
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

    @Override
    public MemorySegment allocateSlots(long bytes) {
        sharedMemory();
        try {
            memory = registry.createOnTouch(bytes);   // slots never filled cost nothing
        } catch (SharedMemoryFullException e) {
            throw new FerryException(e.getMessage() + "; or convert with --isolation thread, which needs no shared memory", e);
        }
        return memory.memory();
    }

    /// {@return the room in `/dev/shm`}, once segments of Ferry processes that are gone have been
    /// removed (the first call sweeps)
    private SharedMemorySpace sharedMemory() {
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

    /// {@return the failure to report for `fault`, a page of the slots that a worker could not have}
    static FerryException slotFault(InternalError fault) {
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

    @Override
    public void start(PartQueue parts, SlotPool slots, WorkerReports reports) {
        CountDownLatch attached = new CountDownLatch(slots.workers());
        for (int w = 0; w < slots.workers(); w++) {
            int worker = w;
            proxies.add(Thread.ofPlatform().name("ferry-worker-proxy-" + w).daemon()
                    .start(() -> proxy(parts, slots, reports, worker, attached)));
        }
        // Every child has the pool mapped: drop its name, so no crash can leave it behind.
        Thread.ofPlatform().name("ferry-slots-unlinker").daemon().start(() -> {
            try {
                attached.await(ATTACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            memory.unlink();
        });
    }

    private void proxy(PartQueue parts, SlotPool slots, WorkerReports reports, int w, CountDownLatch attached) {
        Throwable fatal = null;
        Worker child = null;
        Part current = null;
        boolean mapped = false;
        try {
            int[] own = slots.slotsOf(w);
            PartMessage.Setup setup = new PartMessage.Setup(memory.name(), slots.slots().count(), slots.slots().slotBytes(),
                    slots.chunkRows(), Arrays.stream(own).boxed().toList(), recipe, config);
            synchronized (children) {
                if (closed) {
                    return;
                }
                child = Worker.start(ParseTask.class, setup.json(), options);
                children.add(child);
            }
            Worker c = child;
            StallWatch watch = new StallWatch(child, stallTimeout, POLL, own.length);
            if (!awaitAttached(child, watch, parts)) {
                return;   // the run stopped first; close() stops the child
            }
            mapped = true;
            attached.countDown();
            slots.free(w).forwardTo(slot -> {
                watch.slotFreed();
                try {
                    c.send(new PartMessage.SlotFree(slot).json());
                } catch (RuntimeException e) {
                    // The child is gone; its failure is reported where its messages are read.
                }
            });
            while ((current = parts.next()) != null) {
                Part p = current;
                child.send(new PartMessage.Parse(p, parts.file(p.input()).toString()).json());
                String parsing = "while parsing " + where(parts, p);
                int seq = 0;
                boolean stopSent = false;
                boolean partOver = false;
                while (!partOver) {
                    PartMessage.ToParent m;
                    try {
                        m = PartMessage.toParent(child.receive(POLL));
                    } catch (ChannelTimeoutException quiet) {
                        // The run is stopping (a failure elsewhere): the child cannot see that, so
                        // tell it, rather than let it parse the rest of its part for nothing.
                        if (!stopSent && parts.stopping()) {
                            child.send(new PartMessage.Stop().json());
                            stopSent = true;
                        }
                        watch.quiet(parsing);
                        continue;
                    }
                    watch.message();
                    switch (m) {
                        case PartMessage.ChunkFilled filled -> {
                            watch.slotFilled();
                            reports.bytesRead(p.input(), filled.bytes());
                            reports.chunk(w, filled.slot(), p, seq++, filled.rows());
                        }
                        case PartMessage.PartDone d -> {
                            reports.bytesRead(p.input(), d.bytes());
                            reports.partDone(p, d.chunks());
                            partOver = true;
                        }
                        case PartMessage.PartFailed f -> {
                            reports.partFailed(p, new PartFailedException(f.message(), f.error()));
                            partOver = true;
                        }
                        case PartMessage.Attached _ -> throw new FerryException("worker " + child.pid()
                                + " attached again while parsing " + where(parts, p));
                    }
                }
                current = null;
            }
            child.send(new PartMessage.End().json());
            awaitExit(child, watch);
        } catch (StallWatch.Stalled e) {
            child.kill();   // SIGKILL ends a stopped process too
            if (current != null) {
                reports.partFailed(current, e);
            } else if (!closed && !parts.stopping()) {
                fatal = e;
            }
        } catch (WorkerFailedException e) {
            if (current != null) {
                reports.partFailed(current, died(parts, current, e));
            } else if (!closed && !parts.stopping()) {
                fatal = died(parts, null, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fatal = t;
        } finally {
            if (!mapped) {
                attached.countDown();   // it never will: the pool's name need not wait for it
            }
            reports.workerDone(w, fatal);
        }
    }

    /// Waits until the child has mapped the slots. {@return false when the run stopped first}
    /// @throws StallWatch.Stalled when it was stopped, or did not map them within [#ATTACH_TIMEOUT]
    private boolean awaitAttached(Worker child, StallWatch watch, PartQueue parts) {
        long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
        while (true) {
            Object m;
            try {
                m = child.receive(POLL);
            } catch (ChannelTimeoutException quiet) {
                if (closed || parts.stopping()) {
                    return false;
                }
                watch.quietBeforeAttaching();
                if (System.nanoTime() > deadline) {
                    throw new StallWatch.Stalled("worker process " + child.pid() + " did not map the chunk slots within "
                            + ATTACH_TIMEOUT.toSeconds() + " s of its start: its state is "
                            + child.state().map(Object::toString).orElse("unknown") + "; it was killed");
                }
                continue;
            }
            if (!(PartMessage.toParent(m) instanceof PartMessage.Attached)) {
                throw new FerryException("worker " + child.pid() + " sent " + Json.write(m) + " instead of attaching");
            }
            return true;
        }
    }

    /// Waits for the child to exit after its last part.
    /// @throws StallWatch.Stalled when it was stopped, or did not exit within [#EXIT_TIMEOUT]
    private static void awaitExit(Worker child, StallWatch watch) {
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        while (true) {
            try {
                child.join(POLL);
                return;
            } catch (WorkerTimeoutException slow) {
                watch.quietAfterLastPart();
                if (System.nanoTime() > deadline) {
                    throw new StallWatch.Stalled("worker process " + child.pid() + " did not exit within "
                            + EXIT_TIMEOUT.toSeconds() + " s of its last part: its state is "
                            + child.state().map(Object::toString).orElse("unknown") + "; it was killed");
                }
            }
        }
    }

    /// {@return the file of `part`, and where in it the part starts unless it is the whole file}
    private static String where(PartQueue parts, Part part) {
        return parts.file(part.input()) + (part.start() > 0 || !part.last() ? " (bytes from " + part.start() + ")" : "");
    }

    private static FerryException died(PartQueue parts, Part part, WorkerFailedException e) {
        String how = e.signal().isPresent() ? "was killed by signal " + e.signal().getAsInt()
                + (e.signal().getAsInt() == 9 ? " (SIGKILL)" : "")
                : e.exitCode().isPresent() ? "exited with code " + e.exitCode().getAsInt() : "stopped answering";
        String where = part == null ? "" : " while parsing " + where(parts, part);
        StringBuilder msg = new StringBuilder("worker process " + e.pid() + " " + how + where);
        List<String> tail = e.stderrTail();
        if (!tail.isEmpty()) {
            msg.append("; its last words on stderr:");
            for (String line : tail.subList(Math.max(0, tail.size() - 5), tail.size())) {
                msg.append("\n  ").append(line);
            }
        }
        return new FerryException(msg.toString(), e);
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
        synchronized (children) {
            for (Worker c : children) {
                c.close();
            }
        }
        for (Thread t : proxies) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (memory != null) {
            memory.close(); // the owner's close unlinks, if no child ever attached
        }
        registry.close();
    }

    /// A part a child could not parse: the child's own exception, by class name and message.
    public static final class PartFailedException extends FerryException {
        private final String type;

        PartFailedException(String message, String type) {
            super(message);
            this.type = type;
        }

        /// {@return the class name of the exception the child threw}
        public String type() {
            return type;
        }
    }
}
