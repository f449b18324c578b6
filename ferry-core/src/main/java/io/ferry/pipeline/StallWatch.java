package io.ferry.pipeline;

import io.ferry.proc.ProcessState;
import io.ferry.proc.Worker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/// Tells when a worker JVM has stalled: it is stopped (`kill -STOP`, a debugger), or it makes no
/// progress while it could. A proxy calls [#quiet(String)] each time its child has been silent
/// for a poll; the child's messages and the slots given back to it count as progress.
///
/// Progress, not time, is what counts: a worker whose slots all wait for the writer (a slow disk,
/// heavy compression) is not stalled however long that lasts, and a long part is fine as long
/// as its chunks keep coming. Silence is counted in the proxy's own polls, each at most two poll
/// periods long, so a parent that was itself stopped (or a machine that was suspended) does not
/// find its children stalled when it wakes.
final class StallWatch {
    /// How long a child may stay stopped before the run gives up on it: long enough for the
    /// `SIGCONT` that follows a Ctrl-Z of the whole process group to reach every child.
    static final Duration STOPPED_LIMIT = Duration.ofSeconds(2);

    private final Worker child;
    private final long limitNanos;
    private final long pollNanos;
    /// Slots the child has to fill; at 0 it waits for the writer, which is not a stall.
    private final AtomicInteger slotsInChild;
    private final AtomicBoolean progressed = new AtomicBoolean();
    private long lastPoll = System.nanoTime();
    private long silentNanos;
    private long stoppedNanos;

    /// @param child the worker JVM
    /// @param limit how long it may make no progress while it has slots to fill
    /// @param poll  how long the proxy waits for a message before calling [#quiet(String)]
    /// @param slots the slots the child owns
    StallWatch(Worker child, Duration limit, Duration poll, int slots) {
        this.child = child;
        this.limitNanos = limit.toNanos();
        this.pollNanos = poll.toNanos();
        this.slotsInChild = new AtomicInteger(slots);
    }

    /// The child sent a message.
    void message() {
        progressed.set(true);
    }

    /// The child handed a slot to the writer.
    void slotFilled() {
        slotsInChild.decrementAndGet();
    }

    /// The writer gave a slot back to the child; one that had none to fill can go on now.
    void slotFreed() {
        if (slotsInChild.getAndIncrement() <= 0) {
            progressed.set(true);
        }
    }

    /// The child was silent for a poll.
    /// @param doing what the child should be doing, for the message: "while parsing data.txt"
    /// @throws WorkerStalledException when it has been stopped for [#STOPPED_LIMIT], or has made no progress for
    ///                 the limit while it had slots to fill
    void quiet(String doing) {
        long step = tick();
        ProcessState state = checkStopped(doing, step);
        if (progressed.getAndSet(false) || slotsInChild.get() <= 0) {
            silentNanos = 0;
        } else {
            silentNanos += step;
        }
        if (silentNanos >= limitNanos) {
            throw new WorkerStalledException("worker process " + child.pid() + " made no progress for " + seconds(limitNanos) + " " + doing
                    + ": its state is " + (state == null ? "unknown" : state) + "; it was killed. If one chunk can take"
                    + " that long to parse, allow more with --stall-timeout");
        }
    }

    /// The child was silent for a poll before it mapped the slots: it has nothing to make progress
    /// with yet, so only being stopped counts.
    /// @throws WorkerStalledException when it has been stopped for [#STOPPED_LIMIT]
    void quietBeforeAttaching() {
        checkStopped("before it mapped the chunk slots", tick());
    }

    /// The child was silent for a poll after its last part, when it should be exiting.
    /// @throws WorkerStalledException when it has been stopped for [#STOPPED_LIMIT]
    void quietAfterLastPart() {
        checkStopped("after its last part", tick());
    }

    /// {@return the time since the last poll}, at most two polls: what a parent that was not
    /// running meanwhile did not see, it does not count
    private long tick() {
        long now = System.nanoTime();
        long step = Math.min(now - lastPoll, 2 * pollNanos);
        lastPoll = now;
        return step;
    }

    /// {@return the child's state}, null when unknown
    /// @throws WorkerStalledException when it has been stopped for [#STOPPED_LIMIT]
    private ProcessState checkStopped(String doing, long step) {
        ProcessState state = child.state().orElse(null);
        stoppedNanos = state != null && state.stopped() ? stoppedNanos + step : 0;
        if (stoppedNanos >= STOPPED_LIMIT.toNanos()) {
            throw new WorkerStalledException("worker process " + child.pid() + " is stopped " + doing + ": its state is " + state
                    + "; after " + seconds(STOPPED_LIMIT.toNanos()) + " it was killed");
        }
        return state;
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? (long) s + " s" : s + " s";
    }

}
