package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.json.Json;
import io.ferry.proc.ChannelTimeoutException;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerFailedException;
import io.ferry.proc.WorkerTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/// One worker of [ProcessWorkers], as the parent sees it: the thread that starts a child JVM running
/// [ParseTask], hands it parts one at a time, reports what it sends, and gives it back its slots.
///
/// A child that dies or stalls ([StallWatch]) fails the part it held, naming the file and how the
/// child ended; between parts it fails the run, unless the run is stopping anyway. A child cannot
/// see the run stop: the proxy tells it.
///
/// @param owner    the workers it is one of
/// @param setup    the child's input
/// @param attached counted down once the child has mapped the slots, or never will
/// @param worker   its number among the workers
record ChildProxy(ProcessWorkers owner, PartMessage.Setup setup, CountDownLatch attached, PartQueue parts, SlotPool slots,
                  WorkerReports reports, int worker) {
    /// How long a child may take to start and map the slots.
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(60);
    /// How long a child may take to exit after its last part.
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /// How often the proxy, waiting for its child, checks whether the run is stopping and the child
    /// stalled.
    private static final Duration POLL = Duration.ofMillis(200);

    /// Runs the child until no part is left, or the run stops.
    /// @throws Exception when the child failed outside a part and the run goes on: the run fails with it
    void run() throws Exception {
        Worker child = null;
        Part current = null;
        boolean mapped = false;
        try {
            child = owner.startChild(setup);
            if (child == null) {
                return;   // the workers were closed first
            }
            StallWatch watch = new StallWatch(child, owner.stallTimeout(), POLL, setup.own().size());
            if (!awaitAttached(child, watch)) {
                return;   // the run stopped first; closing the workers stops the child
            }
            mapped = true;
            attached.countDown();
            Worker c = child;
            slots.free(worker).forwardTo(slot -> {
                watch.slotFreed();
                try {
                    c.send(new PartMessage.SlotFree(slot).json());
                } catch (RuntimeException e) {
                    // The child is gone; its failure is reported where its messages are read.
                }
            });
            while ((current = parts.next()) != null) {
                parse(child, watch, current);
                current = null;
            }
            child.send(new PartMessage.End().json());
            awaitExit(child, watch);
        } catch (WorkerStalledException e) {
            child.kill();   // SIGKILL ends a stopped process too
            fail(current, e);
        } catch (WorkerFailedException e) {
            fail(current, died(current, e));
        } finally {
            if (!mapped) {
                attached.countDown();   // it never will: the pool's name need not wait for it
            }
        }
    }

    /// Has the child parse `p`, reporting its chunks, until it is done or failed.
    private void parse(Worker child, StallWatch watch, Part p) throws InterruptedException {
        child.send(new PartMessage.Parse(p, parts.file(p.input()).toString()).json());
        String parsing = "while parsing " + where(p);
        int seq = 0;
        boolean stopSent = false;
        while (true) {
            PartMessage.ToParent m;
            try {
                m = PartMessage.toParent(child.receive(POLL));
            } catch (ChannelTimeoutException quiet) {
                // The run is stopping, or this part comes after one that failed: the child cannot
                // see that, so tell it, rather than let it parse the rest of its part for nothing.
                if (!stopSent && parts.skipped(p)) {
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
                    reports.chunk(worker, filled.slot(), p, seq++, filled.rows());
                }
                case PartMessage.PartDone done -> {
                    reports.bytesRead(p.input(), done.bytes());
                    reports.partDone(p, done.chunks());
                    return;
                }
                case PartMessage.PartFailed failed -> {
                    reports.partFailed(p, new ProcessWorkers.PartFailedException(failed.message(), failed.error(), failed.hint(),
                            failed.details()));
                    return;
                }
                case PartMessage.Attached _ -> throw new FerryException("worker process " + child.pid()
                        + " attached again " + parsing);
            }
        }
    }

    /// `why` fails `part`; or, when the child failed between parts, the run, unless it is stopping anyway.
    private void fail(Part part, FerryException why) {
        if (part != null) {
            reports.partFailed(part, why);
        } else if (!owner.closed() && !parts.stopping()) {
            throw why;
        }
    }

    /// Waits until the child has mapped the slots. {@return false when the run stopped first}
    /// @throws WorkerStalledException when it was stopped, or did not map them within [#ATTACH_TIMEOUT]
    private boolean awaitAttached(Worker child, StallWatch watch) {
        long deadline = System.nanoTime() + ATTACH_TIMEOUT.toNanos();
        while (true) {
            Object m;
            try {
                m = child.receive(POLL);
            } catch (ChannelTimeoutException quiet) {
                if (owner.closed() || parts.stopping()) {
                    return false;
                }
                watch.quietBeforeAttaching();
                if (System.nanoTime() > deadline) {
                    throw new WorkerStalledException("worker process " + child.pid() + " did not map the chunk slots within "
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
    /// @throws WorkerStalledException when it was stopped, or did not exit within [#EXIT_TIMEOUT]
    private static void awaitExit(Worker child, StallWatch watch) {
        long deadline = System.nanoTime() + EXIT_TIMEOUT.toNanos();
        while (true) {
            try {
                child.join(POLL);
                return;
            } catch (WorkerTimeoutException slow) {
                watch.quietAfterLastPart();
                if (System.nanoTime() > deadline) {
                    throw new WorkerStalledException("worker process " + child.pid() + " did not exit within "
                            + EXIT_TIMEOUT.toSeconds() + " s of its last part: its state is "
                            + child.state().map(Object::toString).orElse("unknown") + "; it was killed");
                }
            }
        }
    }

    /// {@return the file of `part`, and where in it the part starts unless it is the whole file}
    private String where(Part part) {
        return parts.file(part.input()) + (part.start() > 0 || !part.last() ? " (bytes from " + part.start() + ")" : "");
    }

    /// {@return the failure to report for a child that died}, while parsing `part` or (null) between parts
    private FerryException died(Part part, WorkerFailedException e) {
        String named = e.signal().isPresent() ? WorkerFailedException.signalName(e.signal().getAsInt()) : "";
        String how = e.signal().isPresent() ? "was killed by signal " + e.signal().getAsInt()
                + (named.startsWith("SIG") ? " (" + named + ")" : "")
                : e.exitCode().isPresent() ? "exited with code " + e.exitCode().getAsInt() : "stopped answering";
        String where = part == null ? "" : " while parsing " + where(part);
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
}
