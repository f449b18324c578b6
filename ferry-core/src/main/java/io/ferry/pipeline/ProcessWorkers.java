package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.Hint;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerOptions;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/// Workers as child JVMs ([ParseTask]) that map the slot pool as named shared memory
/// ([SharedSlots]) and parse into it: a slot a child filled is appended by the parent without a copy.
///
/// Each child has a proxy in this JVM ([ChildProxy]). A child that dies fails the part it was
/// parsing (naming the file and how the child died); the other children go on with the rest. So
/// does a child that stalls ([#stallTimeout(Duration)]): it is killed first. Whoever dies, even by
/// `kill -9`, nothing of the run stays in `/dev/shm` once every child has mapped the slots.
public final class ProcessWorkers extends Workers {
    /// How many seconds a worker may make no progress unless told otherwise ([#stallTimeout(Duration)]).
    public static final long DEFAULT_STALL_SECONDS = 60;

    private final String recipe;
    private final Object config;
    private final WorkerOptions options;
    private final SharedSlots memory = new SharedSlots();
    private final List<Worker> children = new ArrayList<>();
    private Duration stallTimeout = Duration.ofSeconds(DEFAULT_STALL_SECONDS);
    private CountDownLatch attached;
    private volatile boolean closed;

    /// @param size    number of child JVMs
    /// @param recipe  makes the children's part readers from `config`
    /// @param config  JSON config for `recipe`
    /// @param options how the children are started
    public ProcessWorkers(int size, Class<? extends PartReaderRecipe> recipe, Object config, WorkerOptions options) {
        super(size, "ferry-worker-proxy-");
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

    /// Fits the slots into half of what `/dev/shm` has free; see [SharedSlots].
    @Override
    long fitSlotMemory(long wanted, long least) {
        return memory.fit(wanted, least);
    }

    @Override
    MemorySegment allocateSlots(long bytes) {
        return memory.allocate(bytes);
    }

    @Override
    void start(PartQueue parts, SlotPool slots, WorkerReports reports) {
        CountDownLatch mapped = new CountDownLatch(slots.workers());
        this.attached = mapped;
        super.start(parts, slots, reports);
        // Every child has the pool mapped: drop its name, so no crash can leave it behind.
        Thread.ofPlatform().name("ferry-slots-unlinker").daemon().start(() -> {
            try {
                mapped.await(ChildProxy.ATTACH_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            memory.unlink();
        });
    }

    @Override
    void work(PartQueue parts, SlotPool slots, WorkerReports reports, int worker) throws Exception {
        PartMessage.Setup setup = new PartMessage.Setup(memory.name(), slots.slots().count(), slots.slots().slotBytes(),
                slots.chunkRows(), Arrays.stream(slots.slotsOf(worker)).boxed().toList(), recipe, config);
        new ChildProxy(this, setup, attached, parts, slots, reports, worker).run();
    }

    /// {@return a new child JVM running [ParseTask] on `setup`, which [#close()] stops}; null when
    /// these workers are closed
    Worker startChild(PartMessage.Setup setup) {
        synchronized (children) {
            if (closed) {
                return null;
            }
            Worker child = Worker.start(ParseTask.class, setup.json(), options);
            children.add(child);
            return child;
        }
    }

    /// {@return how long a child may make no progress}
    Duration stallTimeout() {
        return stallTimeout;
    }

    /// {@return whether these workers are closed}
    boolean closed() {
        return closed;
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
        stopThreads();
        memory.close(); // the owner's close unlinks, if no child ever attached
    }

    /// A part a child could not parse: the child's own exception, by class name and message, with
    /// its hint and its facts.
    public static final class PartFailedException extends FerryException {
        private final String type;
        private final Map<String, Object> details;

        PartFailedException(String message, String type, Hint hint, Map<String, Object> details) {
            super(message, hint);
            this.type = type;
            this.details = details; // the message's, which holds them unmodifiable, in order
        }

        /// {@return the facts of the child's exception} ([FerryException#details()])
        @Override
        public Map<String, Object> details() {
            return details;
        }

        /// {@return the class name of the exception the child threw}
        public String type() {
            return type;
        }
    }
}
