package io.ferry.proc;

import io.ferry.FerryException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/// A fixed number of child JVMs that run a [WorkerTask] over many inputs: Python's `Pool.map`.
///
/// ```java
/// try (WorkerPool pool = WorkerPool.start(2)) {
///     List<Object> lengths = pool.map(Length.class, List.of("a", "bb", "ccc")); // [1, 2, 3]
/// }
/// ```
///
/// Children are reused: each takes the next input as soon as it is free, so results come back in
/// input order but are computed in any order. A task's exception fails only its input (the child
/// goes on); a child that dies (a crash, `kill -9`, `System.exit`) fails only the input it held,
/// with the reason, and is replaced by a new one; so does a child that exceeds
/// [WorkerOptions#inputTimeout()] on one input (it is killed), and one whose input's
/// [TaskMessageHandler] threw (it is ended with SIGTERM, so it removes the shared memory it still
/// owns, as at any exit, and killed only if it has not exited within
/// [WorkerOptions#stopTimeout()]). Every other input still runs:
/// [#map] then throws a [PoolMapException] listing the failed inputs, and [#mapOutcomes] returns
/// each input's result or failure.
///
/// One map runs at a time; calls from several threads wait their turn. [#close()] stops every child.
public final class WorkerPool implements AutoCloseable {
    private final WorkerOptions options;
    private final Worker[] workers;
    private final ReentrantLock mapLock = new ReentrantLock();
    private final AtomicInteger started = new AtomicInteger();
    private boolean closed;

    private WorkerPool(int size, WorkerOptions options) {
        this.options = options;
        this.workers = new Worker[size];
    }

    /// {@return a pool of `size` child JVMs}, started now, with [WorkerOptions#DEFAULT]
    public static WorkerPool start(int size) {
        return start(size, WorkerOptions.DEFAULT);
    }

    /// {@return a pool of `size` child JVMs}, started now as `options` say
    /// @throws FerryException when a JVM cannot be started
    public static WorkerPool start(int size, WorkerOptions options) {
        if (size < 1) {
            throw new IllegalArgumentException("a pool needs at least one worker, not " + size);
        }
        WorkerPool pool = new WorkerPool(size, Objects.requireNonNull(options, "options"));
        try {
            for (int slot = 0; slot < size; slot++) {
                pool.workerFor(slot);
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /// {@return how many children the pool holds}
    public int size() {
        return workers.length;
    }

    /// {@return how many child JVMs this pool has started so far}: [#size()] plus the replacements
    public int workersStarted() {
        return started.get();
    }

    /// {@return the results of running `task` on each of `inputs`, in input order}
    /// @throws PoolMapException         when some inputs failed, after all of them ran
    /// @throws IllegalArgumentException when an input cannot be written as JSON (before anything runs)
    public List<Object> map(Class<? extends WorkerTask> task, List<?> inputs) {
        return map(task, inputs, TaskMessageHandler.ignore());
    }

    /// {@return the results of running `task` on each of `inputs`, in input order}, handing the
    /// messages tasks send to `messages`
    /// @throws PoolMapException when some inputs failed, after all of them ran
    public List<Object> map(Class<? extends WorkerTask> task, List<?> inputs, TaskMessageHandler messages) {
        List<TaskOutcome> outcomes = mapOutcomes(task, inputs, messages);
        if (outcomes.stream().anyMatch(o -> !o.succeeded())) {
            throw new PoolMapException(outcomes);
        }
        List<Object> results = new ArrayList<>(outcomes.size());
        outcomes.forEach(o -> results.add(((TaskOutcome.Success) o).result()));
        return results;
    }

    /// {@return what became of each of `inputs`, in input order}: never throws for a failed input
    public List<TaskOutcome> mapOutcomes(Class<? extends WorkerTask> task, List<?> inputs) {
        return mapOutcomes(task, inputs, TaskMessageHandler.ignore());
    }

    /// {@return what became of each of `inputs`, in input order}, handing the messages tasks send
    /// to `messages`
    public List<TaskOutcome> mapOutcomes(Class<? extends WorkerTask> task, List<?> inputs, TaskMessageHandler messages) {
        Objects.requireNonNull(task, "task");
        return mapOutcomes(task.getName(), inputs, messages);
    }

    /// {@return what became of each of `inputs`, in input order}, for the task class named `taskClassName`
    public List<TaskOutcome> mapOutcomes(String taskClassName, List<?> inputs, TaskMessageHandler messages) {
        Objects.requireNonNull(messages, "messages");
        for (int i = 0; i < inputs.size(); i++) {
            try {
                new Envelope.Input(i, taskClassName, inputs.get(i)).line();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("input " + i + " cannot be sent as JSON: " + e.getMessage(), e);
            }
        }
        mapLock.lock();
        try {
            TaskOutcome[] outcomes = new TaskOutcome[inputs.size()];
            AtomicInteger next = new AtomicInteger();
            int threads = Math.min(workers.length, inputs.size());
            List<Thread> slots = new ArrayList<>(threads);
            for (int slot = 0; slot < threads; slot++) {
                int s = slot;
                slots.add(Thread.ofPlatform().name("ferry-pool-slot-" + slot)
                        .start(() -> runSlot(s, taskClassName, inputs, next, outcomes, messages)));
            }
            for (Thread t : slots) {
                t.join();
            }
            for (int i = 0; i < outcomes.length; i++) {
                if (outcomes[i] == null) {
                    outcomes[i] = new TaskOutcome.Failure(i, inputs.get(i),
                            new ChannelClosedException("the pool was closed before input " + i + " ran"));
                }
            }
            return List.of(outcomes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException("interrupted while mapping " + taskClassName, e);
        } finally {
            mapLock.unlock();
        }
    }

    /// Stops every child: asks each to stop, waits [WorkerOptions#stopTimeout()], kills stragglers.
    /// A map still running sees its unfinished inputs fail. Idempotent.
    @Override
    public void close() {
        List<Worker> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = Arrays.stream(workers).filter(Objects::nonNull).toList();
            Arrays.fill(workers, null);
        }
        // In parallel, so stragglers cost one stop timeout, not one each.
        List<Thread> closers = running.stream().map(w -> Thread.ofVirtual().start(w::close)).toList();
        boolean interrupted = false;
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void runSlot(int slot, String task, List<?> inputs, AtomicInteger next, TaskOutcome[] outcomes,
                         TaskMessageHandler messages) {
        int i;
        while ((i = next.getAndIncrement()) < inputs.size()) {
            int index = i;
            Object input = inputs.get(i);
            Worker worker;
            try {
                worker = workerFor(slot);
            } catch (FerryException e) {
                outcomes[i] = new TaskOutcome.Failure(i, input, e);
                continue;
            }
            try {
                worker.submit(task, i, input);
                Object result = worker.awaitResult(message -> messages.onMessage(index, message, worker),
                        options.inputTimeout());
                outcomes[i] = new TaskOutcome.Success(i, input, result, worker.pid());
            } catch (WorkerFailedException e) {
                outcomes[i] = new TaskOutcome.Failure(i, input, e);
                if (!worker.isAlive()) {
                    retire(slot, worker);
                }
            } catch (Exception e) {
                outcomes[i] = new TaskOutcome.Failure(i, input, new FerryException(
                        "the message handler failed on input " + i + " of " + worker + ": " + e, e));
                // The task may wait for a reply that never comes, holding what it sent a handle
                // of: until the parent attaches, the child owns that segment. SIGTERM runs its exit
                // hooks, which remove it (and the child's creator record); SIGKILL left both in
                // /dev/shm. retire's close kills the child if it has not exited within stopTimeout.
                worker.terminate();
                retire(slot, worker);
            }
        }
    }

    /// {@return the live worker of `slot`}, starting one if it has none or its child died
    private synchronized Worker workerFor(int slot) {
        if (closed) {
            throw new ChannelClosedException("the pool is closed");
        }
        Worker w = workers[slot];
        if (w == null || !w.isAlive()) {
            if (w != null) {
                w.close();
            }
            w = launch();
            workers[slot] = w;
        }
        return w;
    }

    /// Replaces a dead child at once, as Python's `Pool` does, so the pool keeps its size whether or
    /// not more inputs come to this slot; if the new JVM cannot start, the slot's next input retries.
    private void retire(int slot, Worker worker) {
        synchronized (this) {
            if (workers[slot] == worker) {
                workers[slot] = null;
                if (!closed) {
                    try {
                        workers[slot] = launch();
                    } catch (FerryException e) {
                        // left empty: workerFor starts one for the next input, or reports why it cannot
                    }
                }
            }
        }
        worker.close();
    }

    /// {@return a new looping child}, counted in [#workersStarted()]
    private Worker launch() {
        Worker w = Worker.launch(options, true);
        started.incrementAndGet();
        return w;
    }
}
