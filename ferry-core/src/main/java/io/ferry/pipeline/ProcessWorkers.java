package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.Sizes;
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
import io.ferry.shm.Sweep;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public void start(WorkContext work) {
        CountDownLatch attached = new CountDownLatch(work.workers());
        for (int w = 0; w < work.workers(); w++) {
            int worker = w;
            proxies.add(Thread.ofPlatform().name("ferry-worker-proxy-" + w).daemon()
                    .start(() -> proxy(work, worker, attached)));
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

    private void proxy(WorkContext work, int w, CountDownLatch attached) {
        Throwable fatal = null;
        Worker child = null;
        Part current = null;
        boolean mapped = false;
        try {
            int[] own = work.slotsOf(w);
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("slots", memory.name());
            input.put("slotCount", (long) work.slots().count());
            input.put("slotBytes", work.slots().slotBytes());
            input.put("chunkRows", work.chunkRows());
            List<Object> ownSlots = new ArrayList<>();
            for (int s : own) {
                ownSlots.add((long) s);
            }
            input.put("own", ownSlots);
            input.put("recipe", recipe);
            input.put("config", config);
            synchronized (children) {
                if (closed) {
                    return;
                }
                child = Worker.start(ParseTask.class, input, options);
                children.add(child);
            }
            Worker c = child;
            StallWatch watch = new StallWatch(child, stallTimeout, POLL, own.length);
            if (!awaitAttached(child, watch, work)) {
                return;   // the run stopped first; close() stops the child
            }
            mapped = true;
            attached.countDown();
            work.lease(w).forwardTo(slot -> {
                watch.slotFreed();
                try {
                    c.send(Map.of("free", (long) slot));
                } catch (RuntimeException e) {
                    // The child is gone; its failure is reported where its messages are read.
                }
            });
            while ((current = work.nextPart()) != null) {
                Part p = current;
                Map<String, Object> msg = new LinkedHashMap<>();
                msg.put("part", List.of((long) p.input(), (long) p.index(), p.start(), p.end(), p.last()));
                msg.put("file", work.file(p.input()).toString());
                child.send(msg);
                String parsing = "while parsing " + where(work, p);
                int seq = 0;
                boolean stopSent = false;
                while (true) {
                    Map<String, Object> m;
                    try {
                        m = Json.asObject(child.receive(POLL), "message");
                    } catch (ChannelTimeoutException quiet) {
                        // The run is stopping (a failure elsewhere): the child cannot see that, so
                        // tell it, rather than let it parse the rest of its part for nothing.
                        if (!stopSent && work.stopping()) {
                            child.send(Map.of("stop", true));
                            stopSent = true;
                        }
                        watch.quiet(parsing);
                        continue;
                    }
                    watch.message();
                    if (m.containsKey("chunk")) {
                        watch.slotFilled();
                        work.addBytes(p.input(), Json.asLong(m.get("bytes"), "bytes"));
                        work.chunk(w, (int) Json.asLong(m.get("chunk"), "chunk"), p, seq++, Json.asLong(m.get("rows"), "rows"));
                    } else if (m.containsKey("done")) {
                        work.addBytes(p.input(), Json.asLong(m.get("bytes"), "bytes"));
                        work.partDone(p, (int) Json.asLong(m.get("done"), "done"));
                        break;
                    } else if (m.containsKey("failed")) {
                        work.partFailed(p, new PartFailedException(Json.asString(m.get("failed"), "failed"),
                                Json.asString(m.get("type"), "type")));
                        break;
                    }
                }
                current = null;
            }
            child.send(Map.of("end", true));
            awaitExit(child, watch);
        } catch (StallWatch.Stalled e) {
            child.kill();   // SIGKILL ends a stopped process too
            if (current != null) {
                work.partFailed(current, e);
            } else if (!closed && !work.stopping()) {
                fatal = e;
            }
        } catch (WorkerFailedException e) {
            if (current != null) {
                work.partFailed(current, died(work, current, e));
            } else if (!closed && !work.stopping()) {
                fatal = died(work, null, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            fatal = t;
        } finally {
            if (!mapped) {
                attached.countDown();   // it never will: the pool's name need not wait for it
            }
            work.workerDone(w, fatal);
        }
    }

    /// Waits until the child has mapped the slots. {@return false when the run stopped first}
    /// @throws StallWatch.Stalled when it was stopped, or did not map them within [#ATTACH_TIMEOUT]
    private boolean awaitAttached(Worker child, StallWatch watch, WorkContext work) {
        long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
        while (true) {
            Object m;
            try {
                m = child.receive(POLL);
            } catch (ChannelTimeoutException quiet) {
                if (closed || work.stopping()) {
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
            Map<String, Object> hello = Json.asObject(m, "message");
            if (!Boolean.TRUE.equals(hello.get("attached"))) {
                throw new FerryException("worker " + child.pid() + " sent " + Json.write(hello) + " instead of attaching");
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
    private static String where(WorkContext work, Part part) {
        return work.file(part.input()) + (part.start() > 0 || !part.last() ? " (bytes from " + part.start() + ")" : "");
    }

    private static FerryException died(WorkContext work, Part part, WorkerFailedException e) {
        String how = e.signal().isPresent() ? "was killed by signal " + e.signal().getAsInt()
                + (e.signal().getAsInt() == 9 ? " (SIGKILL)" : "")
                : e.exitCode().isPresent() ? "exited with code " + e.exitCode().getAsInt() : "stopped answering";
        String where = part == null ? "" : " while parsing " + where(work, part);
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
