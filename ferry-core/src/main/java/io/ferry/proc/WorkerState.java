package io.ferry.proc;

import io.ferry.FerryException;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/// What a worker's child has said about its current input, and the waits on it: the channel's
/// reader thread tells it what arrives, the caller's thread waits here for messages and the outcome.
///
/// ```text
///  submit ──► given ──begin──► begun ──result──► answered
///               │                └──error────► failed       messages queue up in any of these
///               └── (any state) ── the child's end ──► ended;  close() ──► closed
/// ```
///
/// Its monitor guards it all; every change wakes every waiter. Reports of a failure wait (bounded)
/// for the child's end, so they carry its exit code and the last lines of its stderr.
final class WorkerState {
    /// How long a child may take to begin an input that has a time limit (its JVM starting, on a
    /// busy machine): the limit itself counts from the `begin`, so it measures the task alone.
    static final Duration BEGIN_LIMIT = Duration.ofSeconds(60);
    /// What an answer to [#await] gives while there is nothing yet (a message may be JSON `null`).
    private static final Object NOT_YET = new Object();

    private final Process process;
    private final long pid;
    private final boolean loop;
    private final StderrTail stderr;

    // Guarded by this object's monitor; every change is told with notifyAll.
    private final LinkedList<Object> inbox = new LinkedList<>(); // not an ArrayDeque: a message may be JSON null
    private String task = "?";
    private long seq = -1;
    private Object input;
    private long begunAt; // System.nanoTime() when the child began the input; 0 until then
    private Envelope.ToParent outcome; // the current input's Result or Failure; null until it comes
    private boolean ended;
    private String protocolError;
    private boolean closed;

    /// @param loop whether the child takes input after input (a pool's), surviving its task's exceptions
    WorkerState(Process process, StderrTail stderr, boolean loop) {
        this.process = process;
        this.pid = process.pid();
        this.stderr = stderr;
        this.loop = loop;
    }

    // ---- what the channel's reader tells ----

    /// Takes in what the child sent. {@return false} when it breaks the protocol (recorded for the report)
    synchronized boolean received(Envelope.ToParent envelope) {
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
        notifyAll();
        return true;
    }

    /// Records why the channel broke down. {@return false}, for the reader to end the child
    synchronized boolean protocolError(String why) {
        protocolError = why;
        return false;
    }

    /// The child has exited and its channel is read to the end.
    synchronized void ended() {
        ended = true;
        notifyAll();
    }

    // ---- what the caller does ----

    /// The child is given input `index` of task `taskClassName`: what came for the last one is forgotten.
    synchronized void submit(String taskClassName, long index, Object value) {
        task = taskClassName;
        seq = index;
        input = value;
        begunAt = 0;
        outcome = null;
        inbox.clear();
    }

    /// {@return true the first time}: the worker is closed from now on, and every wait ends
    synchronized boolean close() {
        if (closed) {
            return false;
        }
        closed = true;
        notifyAll();
        return true;
    }

    /// {@return the input a message sent now belongs to}
    /// @throws ChannelClosedException when the worker is closed
    synchronized long inputForSend() {
        if (closed) {
            throw new ChannelClosedException(describe() + " is closed");
        }
        return seq;
    }

    /// {@return why a message could not be written to the child}: it finished and exited, or it died
    synchronized FerryException sendFailed(IOException e) {
        awaitEnd();
        if (outcome instanceof Envelope.Result && process.exitValue() == 0) {
            return new ChannelClosedException(describe() + " finished input " + seq + " and exited; nobody reads messages any more");
        }
        return failure("its channel broke (" + e.getMessage() + ")");
    }

    /// {@return the next message the task sent}, waiting at most `timeout`; see [Worker#receive(Duration)]
    Object receive(Duration timeout) {
        return await(timeout, () -> {
            if (!inbox.isEmpty()) {
                return inbox.poll();
            }
            if (closed) {
                throw new ChannelClosedException(describe() + " is closed");
            }
            if (failed()) {
                awaitEndIfExiting();
                throw failure(null);
            }
            if (outcome instanceof Envelope.Result) {
                throw new ChannelClosedException(describe() + " finished input " + seq + " and sent no further message");
            }
            return NOT_YET;
        }, () -> new ChannelTimeoutException("no message from " + describe() + " within " + timeout));
    }

    /// {@return the task's result}, once the child has exited (or, looping, sent it); see [Worker#join(Duration)]
    Object join(Duration timeout) {
        return await(timeout, () -> {
            if (failed()) {
                awaitEndIfExiting();
                throw failure(null);
            }
            if (outcome instanceof Envelope.Result r && (loop || ended)) {
                if (ended && process.exitValue() != 0) {
                    throw failure("after sending its result");
                }
                return r.value();
            }
            return NOT_YET;
        }, () -> new WorkerTimeoutException(describe() + " did not finish input " + seq + " ("
                + WorkerFailedException.describeInput(input) + ") within " + timeout));
    }

    /// {@return the current input's result}, waiting for it and handing each message the task sends
    /// to `messages` on this thread. After `timeout` without a result ([Duration#ZERO]: never),
    /// counted from when the child began the input (not from the JVM's start), the child is killed
    /// and the input fails; so it does when the child has not begun the input within [#BEGIN_LIMIT].
    /// @throws WorkerFailedException when the task threw, the child died, or the time ran out
    Object awaitResult(MessageSink messages, Duration timeout) throws Exception {
        long beginDeadline = System.nanoTime() + BEGIN_LIMIT.toNanos();
        while (true) {
            Object message;
            synchronized (this) {
                while (inbox.isEmpty() && outcome == null && !ended) {
                    if (timeout.isZero()) {
                        awaitNanos(Long.MAX_VALUE);
                        continue;
                    }
                    boolean begun = begunAt != 0;
                    long left = (begun ? begunAt + timeout.toNanos() : beginDeadline) - System.nanoTime();
                    if (left <= 0) {
                        ChildJvm.killTree(process);
                        awaitEnd();
                        throw failure(begun ? "it sent no result within " + timeout + ", so it was killed"
                                : "it did not begin the input within " + BEGIN_LIMIT + " of being given it, so it was killed");
                    }
                    awaitNanos(left);
                }
                if (!inbox.isEmpty()) {
                    message = inbox.poll();
                } else if (outcome instanceof Envelope.Result result) {
                    seq = -1;
                    input = null;
                    return result.value();
                } else {
                    awaitEndIfExiting();
                    throw failure(null);
                }
            }
            messages.accept(message);
        }
    }

    /// Where [#awaitResult] delivers a task's messages.
    interface MessageSink {
        void accept(Object message) throws Exception;
    }

    /// {@return `worker 'task' (pid n)`}
    synchronized String describe() {
        return "worker '" + task + "' (pid " + pid + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    // ---- internals; the private methods below are called holding the monitor ----

    /// Waits until `answer`, asked again after every change, gives something other than
    /// [#NOT_YET] (or throws). {@return what it gave}
    /// @throws FerryException made by `late` when `timeout` passed first
    private synchronized Object await(Duration timeout, Supplier<Object> answer, Supplier<FerryException> late) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object value = answer.get();
            if (value != NOT_YET) {
                return value;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw late.get();
            }
            awaitNanos(left);
        }
    }

    /// {@return whether the current input has failed}: the task threw, or the child ended without a result
    private boolean failed() {
        return outcome instanceof Envelope.Failure || (ended && !(outcome instanceof Envelope.Result));
    }

    /// {@return whether an outcome for input `s` answers the current input}; records the protocol error when not
    private boolean answers(long s) {
        if (s != seq && s != -1) {
            protocolError = "it answered input " + s + " while processing input " + seq;
            return false;
        }
        return true;
    }

    /// A child that runs once exits right after reporting an error: wait for that, so the report
    /// has its exit code and its last stderr lines.
    private void awaitEndIfExiting() {
        if (!loop || !(outcome instanceof Envelope.Failure)) {
            awaitEnd();
        }
    }

    /// Waits (bounded) for the channel reader to see the child's end.
    private void awaitEnd() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * ChildChannel.EXIT_GRACE_MILLIS);
        while (!ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            awaitNanos(left);
        }
    }

    /// The report for the current input.
    private WorkerFailedException failure(String detail) {
        Integer exit = ended || !process.isAlive() ? process.exitValue() : null;
        String why = protocolError != null ? protocolError : detail;
        return new WorkerFailedException(task, pid, exit, seq, input,
                outcome instanceof Envelope.Failure f ? f : null, why, stderr.lines());
    }

    private void awaitNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException("interrupted while waiting for " + describe(), e);
        }
    }
}
