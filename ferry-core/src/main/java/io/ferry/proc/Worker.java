package io.ferry.proc;

import io.ferry.FerryException;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/// A child JVM running one [WorkerTask] on one input: Python's `Process(target=f, args=…)`, with a
/// [Channel] to the task while it runs.
///
/// ```java
/// try (Worker worker = Worker.start(Greeting.class, "ferry")) {
///     Object hello = worker.receive(Duration.ofSeconds(30)); // "hello ferry", sent by the task
///     worker.send("done");                                   // the task is waiting for this reply
///     Object result = worker.join(Duration.ofSeconds(30));   // "FERRY done"
/// }
/// ```
///
/// The child runs the same `java` with the same class path (see [WorkerOptions]) and
/// `--enable-native-access=ALL-UNNAMED`; its main class is [ChildMain]. It exits by itself when the
/// parent dies. Its standard error is read to the end by a thread of ours, so it never blocks on
/// a full pipe, and the last lines are quoted in any [WorkerFailedException].
///
/// [#close()] always leaves no process behind: it asks the child to stop, waits
/// [WorkerOptions#stopTimeout()], then kills it. Use it in try-with-resources.
///
/// This class is the API over one stage each: [ChildJvm] starts the JVM, [ChildChannel] carries
/// the lines, [WorkerState] keeps what the child said and the waits on it. A [WorkerPool] drives
/// workers through [#submit] and [#awaitResult] instead of [#join].
public final class Worker implements Channel, AutoCloseable {
    private final Process process;
    private final long pid;
    private final WorkerOptions options;
    private final StderrTail stderr;
    private final WorkerState state;
    private final ChildChannel channel;
    private volatile boolean killed;

    private Worker(Process process, WorkerOptions options, boolean loop) {
        this.process = process;
        this.pid = process.pid();
        this.options = options;
        this.stderr = StderrTail.drain(options.stderrTailLines(), process.getErrorStream(),
                options.echoStderr() ? System.err : null, "[worker " + pid + "] ", "ferry-worker-" + pid + "-stderr");
        this.state = new WorkerState(process, stderr, loop);
        this.channel = new ChildChannel(process, stderr, state);
    }

    /// {@return a new child JVM running `task` on `input`}, with [WorkerOptions#DEFAULT].
    /// @param input the task's input; anything [io.ferry.json.Json#write(Object)] accepts
    /// @throws IllegalArgumentException when `task` cannot be run by name or `input` is not JSON
    /// @throws FerryException           when the JVM cannot be started
    public static Worker start(Class<? extends WorkerTask> task, Object input) {
        return start(task, input, WorkerOptions.DEFAULT);
    }

    /// {@return a new child JVM running `task` on `input`}, started as `options` say.
    /// @throws IllegalArgumentException when `task` cannot be run by name or `input` is not JSON
    /// @throws FerryException           when the JVM cannot be started
    public static Worker start(Class<? extends WorkerTask> task, Object input, WorkerOptions options) {
        return start(checkTask(task), input, options);
    }

    /// {@return a new child JVM running the task class named `taskClassName` on `input`}.
    /// The name is checked in the child only; a wrong one fails the worker with `ClassNotFoundException`.
    /// @throws IllegalArgumentException when `input` is not JSON
    /// @throws FerryException           when the JVM cannot be started
    public static Worker start(String taskClassName, Object input, WorkerOptions options) {
        new Envelope.Input(0, taskClassName, input).line(); // fails on a non-JSON input before a JVM is started
        Worker worker = launch(options, false);
        worker.submit(taskClassName, 0, input);
        return worker;
    }

    /// {@return the child's process id}
    public long pid() {
        return pid;
    }

    /// {@return whether the child process is running}
    public boolean isAlive() {
        return process.isAlive();
    }

    /// {@return what the child process is doing now}, empty once it is gone
    public Optional<ProcessState> state() {
        return ProcessState.of(pid);
    }

    /// {@return the child's exit code}, empty while it runs; `128 + n` when signal `n` killed it
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /// {@return the last lines the child wrote to standard error so far, oldest first}
    public List<String> stderrTail() {
        return stderr.lines();
    }

    /// Sends `message` to the running task, which gets it from [Channel#receive(Duration)].
    /// @throws WorkerFailedException  when the child has died
    /// @throws ChannelClosedException when this worker was closed
    @Override
    public void send(Object message) {
        byte[] line = new Envelope.Message(state.inputForSend(), message).line();
        try {
            channel.write(line);
        } catch (IOException e) {
            throw state.sendFailed(e);
        }
    }

    /// {@return the next message the task sent}, waiting at most `timeout`.
    /// @throws ChannelTimeoutException when none came in time
    /// @throws WorkerFailedException   when the task failed or the child died, with nothing left to read
    /// @throws ChannelClosedException  when the task returned and sent nothing more, or this worker was closed
    @Override
    public Object receive(Duration timeout) {
        return state.receive(timeout);
    }

    /// {@return the task's result}, once the task has finished and the child has exited.
    /// Messages not yet received stay readable with [#receive(Duration)].
    /// @throws WorkerTimeoutException when the task did not finish within `timeout` (the child keeps running)
    /// @throws WorkerFailedException  when the task threw, or the child died or exited non-zero
    public Object join(Duration timeout) {
        return state.join(timeout);
    }

    /// Kills the child at once with `SIGKILL` (`Process.destroyForcibly`), a stopped one too;
    /// [#close()] still cleans up, without asking it to stop first.
    public void kill() {
        killed = true;
        process.destroyForcibly();
    }

    /// Asks the child to terminate with `SIGTERM`, which runs its shutdown hooks.
    public void terminate() {
        process.destroy();
    }

    /// Stops the child: asks it to stop (an idle child exits at once), waits
    /// [WorkerOptions#stopTimeout()], then kills it and any processes it started. Idempotent.
    @Override
    public void close() {
        if (!state.close()) {
            return;
        }
        boolean interrupted = false;
        try {
            if (process.isAlive()) {
                try {
                    channel.write(new Envelope.Stop());
                } catch (IOException e) {
                    // It is dying anyway; the wait below finds out.
                }
            }
            channel.closeOutput();
            try {
                if (!process.waitFor(killed ? 0 : options.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    ChildJvm.killTree(process);
                    process.waitFor(ChildChannel.EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                ChildJvm.killTree(process);
            }
            try {
                channel.awaitEnd(ChildChannel.EXIT_GRACE_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return state.describe();
    }

    // ---- for WorkerPool ----

    /// Starts a child; a looping one takes inputs until it is stopped, and survives its task's exceptions.
    static Worker launch(WorkerOptions options, boolean loop) {
        return new Worker(ChildJvm.start(options, loop), options, loop);
    }

    /// Gives the child input `index`. A write that fails means the child died; [#awaitResult] reports it.
    void submit(String taskClassName, long index, Object value) {
        byte[] line = new Envelope.Input(index, taskClassName, value).line();
        state.submit(taskClassName, index, value);
        try {
            channel.write(line);
        } catch (IOException e) {
            // The child is gone; the channel reader sees the end and the waiting caller gets the report.
        }
    }

    /// {@return the current input's result}, handing each message the task sends to `messages` on
    /// this thread; see [WorkerState#awaitResult(WorkerState.MessageSink, Duration)] for `timeout`.
    /// @throws WorkerFailedException when the task threw, the child died, or the time ran out
    Object awaitResult(WorkerState.MessageSink messages, Duration timeout) throws Exception {
        return state.awaitResult(messages, timeout);
    }

    private static String checkTask(Class<? extends WorkerTask> task) {
        if (!WorkerTask.class.isAssignableFrom(task)) {
            throw new IllegalArgumentException(task.getName() + " does not implement " + WorkerTask.class.getName());
        }
        if (!Modifier.isPublic(task.getModifiers()) || Modifier.isAbstract(task.getModifiers())
                || (task.isMemberClass() && !Modifier.isStatic(task.getModifiers()))) {
            throw new IllegalArgumentException("a worker task must be a public, concrete, top-level or static class: "
                    + task.getName());
        }
        try {
            if (!Modifier.isPublic(task.getConstructor().getModifiers())) {
                throw new NoSuchMethodException();
            }
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("a worker task needs a public no-argument constructor: " + task.getName());
        }
        return task.getName();
    }
}
