package io.ferry.proc;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/// The main class of a worker JVM: takes inputs from the parent over its channel, runs the named
/// [WorkerTask] on each, and sends back results. [Worker] starts it; it is not meant to be run by
/// hand, and is public only because the child's `java` command names it.
///
/// Arguments: `once|loop parentPid [fd3-fd4]`. `once` runs one input and exits (`0`, or `1` when
/// the task threw); `loop` runs inputs until the parent says stop, reporting a task's exception
/// and going on.
///
/// Nothing else may write to the channel. [Worker] starts the JVM through `/bin/sh`, which moves
/// the channel to descriptors 3 (to the parent) and 4 (from it), points descriptor 1 at standard
/// error and 0 at `/dev/null`, then `exec`s `java` (same pid, no shell left): so neither a task's
/// printing, nor native code writing to descriptor 1, nor the JVM's own `-Xlog` output can reach
/// the channel. Without `/bin/sh` the channel stays on standard input and output, and only
/// `System.out` (pointed at standard error) and `System.in` (emptied) are kept off it.
///
/// The child never outlives its parent: it exits with [#EXIT_PARENT_GONE], running its shutdown
/// hooks, as soon as its standard input ends without a stop, or the parent process is gone
/// (polled every 200 ms). A shutdown hook that hangs gets 5 s, then the JVM halts.
public final class ChildMain {
    /// Exit code: every input done, the parent said stop.
    static final int EXIT_OK = 0;
    /// Exit code: the task threw (`once` mode); the parent got the exception.
    static final int EXIT_TASK_FAILED = 1;
    /// Exit code: started with wrong arguments.
    static final int EXIT_USAGE = 2;
    /// Exit code: the parent died or closed the channel without saying stop.
    static final int EXIT_PARENT_GONE = 3;
    /// Exit code: the parent sent something that is not a channel message.
    static final int EXIT_PROTOCOL = 4;

    static final String MODE_ONCE = "once";
    static final String MODE_LOOP = "loop";
    /// The third argument when the channel is on descriptors 3 (to the parent) and 4 (from it).
    static final String CHANNEL_FDS = "fd3-fd4";

    private static final long PARENT_POLL_MILLIS = 200;
    private static final long HALT_AFTER_MILLIS = 5_000;
    private static final AtomicBoolean EXITING = new AtomicBoolean();
    private static volatile ParentChannel CHANNEL;

    private ChildMain() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || !(MODE_ONCE.equals(args[0]) || MODE_LOOP.equals(args[0]))
                || !args[1].matches("[0-9]+") || (args.length == 3 && !CHANNEL_FDS.equals(args[2]))) {
            System.err.println("usage: java io.ferry.proc.ChildMain once|loop PARENT_PID [" + CHANNEL_FDS
                    + "] (started by io.ferry.proc.Worker)");
            System.exit(EXIT_USAGE);
        }
        boolean loop = MODE_LOOP.equals(args[0]);
        long parentPid = Long.parseLong(args[1]);

        ParentChannel channel;
        try {
            channel = openChannel(args.length == 3);
        } catch (IOException e) {
            System.err.println("ferry worker " + ProcessHandle.current().pid() + ": cannot open the channel: " + e);
            System.exit(EXIT_USAGE);
            return;
        }
        // Java's own standard streams go elsewhere, whichever descriptors the channel has.
        System.setOut(System.err);
        System.setIn(InputStream.nullInputStream());

        CHANNEL = channel;
        watchParent(parentPid);
        channel.startReading(ChildMain::exitParentGone,
                why -> exit(EXIT_PROTOCOL, why));
        int code;
        try {
            code = serve(channel, loop);
        } catch (InterruptedException e) {
            code = EXIT_PARENT_GONE;
        } catch (ChannelClosedException e) {
            System.err.println("ferry worker " + ProcessHandle.current().pid() + ": " + e.getMessage());
            code = EXIT_PARENT_GONE;
        }
        exit(code, null);
    }

    /// {@return the channel's two ends}: descriptors 3 and 4 when [Worker] moved it there
    /// (`channelFds`), else standard output and input.
    private static ParentChannel openChannel(boolean channelFds) throws IOException {
        if (channelFds) {
            // Opening /dev/fd/N of a pipe opens that same pipe, and gives us Java streams on it.
            return new ParentChannel(new FileOutputStream("/dev/fd/3"),
                    FileChannel.open(Path.of("/dev/fd/4"), StandardOpenOption.READ));
        }
        return new ParentChannel(new FileOutputStream(FileDescriptor.out),
                new FileInputStream(FileDescriptor.in).getChannel());
    }

    private static int serve(ParentChannel channel, boolean loop) throws InterruptedException {
        Map<String, WorkerTask> tasks = new HashMap<>();
        Envelope.Input input;
        while ((input = channel.nextInput()) != null) {
            long seq = input.seq();
            String taskName = input.task();
            channel.begin(seq);
            Object result;
            try {
                channel.sendBegin(seq);
                WorkerTask task = tasks.get(taskName);
                if (task == null) {
                    task = instantiate(taskName);
                    tasks.put(taskName, task);
                }
                result = task.run(input.value(), channel);
                channel.sendResult(seq, result);
            } catch (ChannelClosedException e) {
                throw e;
            } catch (Throwable t) {
                // Errors too (a StackOverflowError, say): the parent hears about them and decides.
                System.err.println("ferry worker " + ProcessHandle.current().pid() + ": task " + taskName
                        + " failed on input " + seq + ": " + t);
                channel.sendError(seq, t);
                if (!loop) {
                    return EXIT_TASK_FAILED;
                }
            } finally {
                channel.end();
            }
            if (!loop) {
                return EXIT_OK;
            }
        }
        return EXIT_OK;
    }

    private static WorkerTask instantiate(String name) throws Exception {
        Class<?> c = Class.forName(name, true, ChildMain.class.getClassLoader());
        if (!WorkerTask.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException(name + " does not implement " + WorkerTask.class.getName());
        }
        try {
            return (WorkerTask) c.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /// Polls the parent: a direct child sees its parent pid change at once when the parent dies
    /// (it is re-parented), which also guards against the pid being reused. When the launcher put a
    /// process between us, the parent's pid and start time are checked instead.
    private static void watchParent(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            exitParentGone("the parent process " + parentPid + " is gone");
            return;
        }
        boolean direct = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parentPid;
        Instant parentStart = parent.get().info().startInstant().orElse(null);
        Thread.ofPlatform().daemon().name("ferry-parent-watch").start(() -> {
            while (true) {
                try {
                    Thread.sleep(PARENT_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                boolean gone;
                if (direct) {
                    gone = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parentPid;
                } else {
                    Optional<ProcessHandle> p = ProcessHandle.of(parentPid);
                    gone = p.isEmpty() || !p.get().isAlive()
                            || (parentStart != null && !parentStart.equals(p.get().info().startInstant().orElse(parentStart)));
                }
                if (gone) {
                    exitParentGone("the parent process " + parentPid + " is gone");
                    return;
                }
            }
        });
    }

    private static void exitParentGone(String why) {
        exit(EXIT_PARENT_GONE, why);
    }

    /// Exits once, running shutdown hooks (so what the task holds is released), but never hangs in them.
    /// A second caller waits for the first one's exit: returning from `main` instead would let
    /// the launcher exit with 0 before the first caller's code is set.
    private static void exit(int code, String why) {
        if (!EXITING.compareAndSet(false, true)) {
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // Still exiting; keep waiting.
                }
            }
        }
        if (why != null) {
            System.err.println("ferry worker " + ProcessHandle.current().pid() + ": " + why + "; exiting");
        }
        ParentChannel channel = CHANNEL;
        if (channel != null) {
            channel.closeInput();
        }
        Thread.ofPlatform().daemon().name("ferry-exit-guard").start(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                // Halt now, then.
            }
            Runtime.getRuntime().halt(code);
        });
        System.exit(code);
    }
}
