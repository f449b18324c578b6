package io.ferry.proc;

import io.ferry.FerryException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
public final class Worker implements Channel, AutoCloseable {
    /// How long a child that closed its channel gets to exit, and how long a report waits for
    /// an exiting child's last words.
    private static final long EXIT_GRACE_MILLIS = 5_000;
    /// How long a child may take to begin an input that has a time limit (its JVM starting, on a
    /// busy machine): the limit itself counts from the `begin`, so it measures the task alone.
    private static final Duration BEGIN_LIMIT = Duration.ofSeconds(60);
    private static final Path SHELL = Path.of("/bin/sh");

    private final Process process;
    private final long pid;
    private final WorkerOptions options;
    private final boolean loop;
    private final OutputStream toChild;
    private final StderrTail stderr;
    private final Thread channelReader;
    private volatile boolean killed;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock.
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    private String task = "?";
    private long seq = -1;
    private Object input;
    private long begunAt; // System.nanoTime() when the child began the input; 0 until then
    private Envelope.ToParent outcome; // the current input's Result or Failure; null until it comes
    private boolean ended;
    private String protocolError;
    private boolean closed;

    private Worker(Process process, WorkerOptions options, boolean loop) {
        this.process = process;
        this.pid = process.pid();
        this.options = options;
        this.loop = loop;
        this.toChild = process.getOutputStream();
        this.stderr = StderrTail.drain(options.stderrTailLines(), process.getErrorStream(),
                options.echoStderr() ? System.err : null, "[worker " + pid + "] ", "ferry-worker-" + pid + "-stderr");
        this.channelReader = Thread.ofPlatform().daemon().name("ferry-worker-" + pid + "-channel")
                .start(this::readChannel);
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
        long current;
        lock.lock();
        try {
            if (closed) {
                throw new ChannelClosedException(this + " is closed");
            }
            current = seq;
        } finally {
            lock.unlock();
        }
        byte[] line = new Envelope.Message(current, message).line();
        try {
            write(line);
        } catch (IOException e) {
            lock.lock();
            try {
                awaitEnd();
                if (isResult(outcome) && process.exitValue() == 0) {
                    throw new ChannelClosedException(this + " finished input " + seq + " and exited; nobody reads messages any more");
                }
                throw failure("its channel broke (" + e.getMessage() + ")");
            } finally {
                lock.unlock();
            }
        }
    }

    /// {@return the next message the task sent}, waiting at most `timeout`.
    /// @throws ChannelTimeoutException when none came in time
    /// @throws WorkerFailedException   when the task failed or the child died, with nothing left to read
    /// @throws ChannelClosedException  when the task returned and sent nothing more, or this worker was closed
    @Override
    public Object receive(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (!inbox.isEmpty()) {
                    return inbox.poll();
                }
                if (closed) {
                    throw new ChannelClosedException(this + " is closed");
                }
                if (isError(outcome) || (ended && !isResult(outcome))) {
                    awaitEndIfExiting();
                    throw failure(null);
                }
                if (isResult(outcome)) {
                    throw new ChannelClosedException(this + " finished input " + seq + " and sent no further message");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ChannelTimeoutException("no message from " + this + " within " + timeout);
                }
                awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /// {@return the task's result}, once the task has finished and the child has exited.
    /// Messages not yet received stay readable with [#receive(Duration)].
    /// @throws WorkerTimeoutException when the task did not finish within `timeout` (the child keeps running)
    /// @throws WorkerFailedException  when the task threw, or the child died or exited non-zero
    public Object join(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                if (isError(outcome) || (ended && !isResult(outcome))) {
                    awaitEndIfExiting();
                    throw failure(null);
                }
                if (isResult(outcome) && (loop || ended)) {
                    if (ended && process.exitValue() != 0) {
                        throw failure("after sending its result");
                    }
                    return ((Envelope.Result) outcome).value();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new WorkerTimeoutException(this + " did not finish input " + seq + " ("
                            + WorkerFailedException.describeInput(input) + ") within " + timeout);
                }
                awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        try {
            if (process.isAlive()) {
                try {
                    write(new Envelope.Stop().line());
                } catch (IOException e) {
                    // It is dying anyway; the wait below finds out.
                }
            }
            try {
                toChild.close();
            } catch (IOException e) {
                // Closing our end of a broken pipe; nothing is lost.
            }
            try {
                if (!process.waitFor(killed ? 0 : options.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            try {
                channelReader.join(EXIT_GRACE_MILLIS);
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
        lock.lock();
        try {
            return "worker '" + task + "' (pid " + pid + ")";
        } finally {
            lock.unlock();
        }
    }

    // ---- for WorkerPool ----

    /// Starts a child; a looping one takes inputs until it is stopped, and survives its task's exceptions.
    static Worker launch(WorkerOptions options, boolean loop) {
        List<String> command = new ArrayList<>();
        boolean viaShell = Files.isExecutable(SHELL);
        if (viaShell) {
            // The shell moves the channel off descriptors 0 and 1 before java starts, then becomes java.
            command.addAll(List.of(SHELL.toString(), "-c", "exec 3>&1 4<&0 1>&2 0</dev/null; exec \"$0\" \"$@\""));
        }
        command.add(options.javaCommand().toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(ClassDataCache.optionsFor(options.classPath())); // before the caller's: theirs win
        command.addAll(options.jvmOptions());
        if (!options.classPath().isEmpty()) {
            command.add("-cp");
            command.add(options.classPath());
        }
        command.add(ChildMain.class.getName());
        command.add(loop ? ChildMain.MODE_LOOP : ChildMain.MODE_ONCE);
        command.add(Long.toString(ProcessHandle.current().pid()));
        if (viaShell) {
            command.add(ChildMain.CHANNEL_FDS);
        }
        try {
            return new Worker(new ProcessBuilder(command).start(), options, loop);
        } catch (IOException e) {
            throw new FerryException("could not start a worker JVM with " + options.javaCommand() + ": " + e.getMessage(), e);
        }
    }

    /// Gives the child input `index`. A write that fails means the child died; [#awaitResult] reports it.
    void submit(String taskClassName, long index, Object value) {
        byte[] line = new Envelope.Input(index, taskClassName, value).line();
        lock.lock();
        try {
            task = taskClassName;
            seq = index;
            input = value;
            begunAt = 0;
            outcome = null;
            inbox.clear();
        } finally {
            lock.unlock();
        }
        try {
            write(line);
        } catch (IOException e) {
            // The child is gone; the channel reader sees the end and the waiting caller gets the report.
        }
    }

    /// {@return the current input's result}, waiting for it and handing each message the task sends
    /// to `messages` on this thread. After `timeout` without a result ([Duration#ZERO]: never),
    /// counted from when the child began the input (not from the JVM's start), the child is killed
    /// and the input fails; so it does when the child has not begun the input within a minute.
    /// @throws WorkerFailedException when the task threw, the child died, or the time ran out
    Object awaitResult(MessageSink messages, Duration timeout) throws Exception {
        long beginDeadline = System.nanoTime() + BEGIN_LIMIT.toNanos();
        while (true) {
            Object message;
            lock.lock();
            try {
                while (inbox.isEmpty() && outcome == null && !ended) {
                    if (timeout.isZero()) {
                        awaitNanos(Long.MAX_VALUE);
                        continue;
                    }
                    boolean begun = begunAt != 0;
                    long left = (begun ? begunAt + timeout.toNanos() : beginDeadline) - System.nanoTime();
                    if (left <= 0) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                        awaitEnd();
                        throw failure(begun ? "it sent no result within " + timeout + ", so it was killed"
                                : "it did not begin the input within " + BEGIN_LIMIT + " of being given it, so it was killed");
                    }
                    awaitNanos(left);
                }
                if (!inbox.isEmpty()) {
                    message = inbox.poll();
                } else if (outcome instanceof Envelope.Result result) {
                    Object value = result.value();
                    seq = -1;
                    input = null;
                    return value;
                } else {
                    awaitEndIfExiting();
                    throw failure(null);
                }
            } finally {
                lock.unlock();
            }
            messages.accept(message);
        }
    }

    /// Where [#awaitResult] delivers a task's messages.
    interface MessageSink {
        void accept(Object message) throws Exception;
    }

    // ---- internals ----

    private void write(byte[] line) throws IOException {
        synchronized (toChild) {
            toChild.write(line);
            toChild.flush();
        }
    }

    private void readChannel() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!accept(line)) {
                    process.destroyForcibly();
                    break;
                }
            }
        } catch (IOException e) {
            // The pipe broke: the child is gone.
        }
        int exit;
        try {
            if (!process.waitFor(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                // It closed its channel but lives on: it cannot be talked to any more.
                process.destroyForcibly();
            }
            exit = process.waitFor();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            exit = -1;
        }
        stderr.awaitEnd(1_000);
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (exit == -1) {
            Thread.currentThread().interrupt();
        }
    }

    /// {@return false} when `line` breaks the protocol (recorded for the report)
    private boolean accept(String line) {
        if (!line.startsWith("{")) {
            // Every channel line is a JSON object; anything else is the JVM's own output (`-Xlog`
            // goes to standard output by default), which belongs with the child's stderr.
            stderr.note("[stdout] " + line);
            return true;
        }
        Envelope.ToParent envelope;
        try {
            envelope = Envelope.toParent(line);
        } catch (Envelope.BadLine e) {
            return protocolError("it wrote a line that is not a channel message (" + e.getMessage() + "): "
                    + WorkerFailedException.describeInput(line));
        }
        lock.lock();
        try {
            switch (envelope) {
                case Envelope.Begin b -> {
                    if (b.seq() == seq) {
                        begunAt = Math.max(1, System.nanoTime());
                    }
                }
                case Envelope.Message m -> inbox.add(m.value());
                case Envelope.Result r -> {
                    if (!answers(r.seq())) {
                        return false;
                    }
                    outcome = r;
                }
                case Envelope.Failure f -> {
                    if (!answers(f.seq())) {
                        return false;
                    }
                    outcome = f;
                }
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean protocolError(String why) {
        lock.lock();
        try {
            protocolError = why;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /// {@return whether an outcome for input `s` answers the current input}; records the protocol
    /// error when not. Call with the lock held.
    private boolean answers(long s) {
        if (s != seq && s != -1) {
            protocolError = "it answered input " + s + " while processing input " + seq;
            return false;
        }
        return true;
    }

    private static boolean isResult(Envelope.ToParent outcome) {
        return outcome instanceof Envelope.Result;
    }

    private static boolean isError(Envelope.ToParent outcome) {
        return outcome instanceof Envelope.Failure;
    }

    /// A child that runs once exits right after reporting an error: wait for that, so the report
    /// has its exit code and its last stderr lines. Call with the lock held.
    private void awaitEndIfExiting() {
        if (!loop || !isError(outcome)) {
            awaitEnd();
        }
    }

    /// Waits (bounded) for the channel reader to see the child's end. Call with the lock held.
    private void awaitEnd() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * EXIT_GRACE_MILLIS);
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            awaitNanos(left);
        }
    }

    /// The report for the current input. Call with the lock held.
    private WorkerFailedException failure(String detail) {
        Integer exit = ended || !process.isAlive() ? process.exitValue() : null;
        String why = protocolError != null ? protocolError : detail;
        return new WorkerFailedException(task, pid, exit, seq, input,
                outcome instanceof Envelope.Failure f ? f : null, why, stderr.lines());
    }

    private void awaitNanos(long nanos) {
        try {
            changed.awaitNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException("interrupted while waiting for " + this, e);
        }
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
