package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.hdf5.Hdf5Natives;
import io.ferry.proc.ChannelClosedException;
import io.ferry.proc.ChannelTimeoutException;
import io.ferry.proc.JvmCrash;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerFailedException;
import io.ferry.proc.WorkerOptions;
import io.ferry.proc.WorkerTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

/// A child JVM that reads HDF5 files for a command (`inspect`, `stitch`).
///
/// The HDF5 library trusts what it reads: a damaged file can make it crash its process (a SIGSEGV
/// in native code, which no Java code can catch) or loop for ever. So the reading runs in a child
/// JVM ([Worker]) and this one reports how it ended ([Outcome]): the child writes its crash log
/// into a directory of its own, read back ([JvmCrash]) and removed, never into the working
/// directory, and writes no core dump; a child that sends nothing for the time limit is stopped.
/// Every file is read so, Ferry's own too: a file Ferry wrote can be damaged later. The child
/// costs a JVM start (with the launcher's AOT cache, which it inherits); the command's own JVM
/// then never loads HDF5.
final class ReaderJvm {
    /// How a reading ended.
    sealed interface Outcome {
        /// The task returned `result`.
        record Done(Object result) implements Outcome {
        }

        /// The child crashed, as its crash log tells.
        record Crashed(JvmCrash crash) implements Outcome {
        }

        /// The child sent nothing for `seconds` and was stopped.
        record Stalled(int seconds) implements Outcome {
        }

        /// The child was killed by `signal` (by someone else: the OOM killer, a user).
        record Killed(int signal) implements Outcome {
        }
    }

    /// The serial collector and the first compiler only: a quick start for a short life.
    private static final List<String> JVM_OPTIONS = List.of("-XX:-CreateCoredumpOnCrash", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final Duration EXIT = Duration.ofMinutes(1);

    private ReaderJvm() {
    }

    /// Runs `task` on `input` in a child JVM, handing each message it sends to `messages` as it
    /// comes. {@return how it ended}
    /// @param timeoutSeconds how long the child may send nothing before it is stopped
    /// @throws FerryException when the task threw (a bug: Ferry's tasks return their problems)
    static Outcome run(Class<? extends WorkerTask> task, Object input, int timeoutSeconds, Consumer<Object> messages)
            throws IOException {
        sweepGone();
        Path crashLogs = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
        AtomicReference<Worker> running = new AtomicReference<>();
        // SIGINT and SIGTERM run shutdown hooks, not finally blocks. The child is killed first
        // (SIGKILL: it runs nothing more): left to exit by itself when this JVM is gone, it could
        // crash on its way out, HDF5's exit handlers racing its reading thread, and with its
        // crash-log directory removed, the log would land in the working directory.
        Thread cleanup = new Thread(() -> {
            Worker child = running.get();
            if (child != null) {
                child.kill();
                child.close();
            }
            removeTree(crashLogs);
        }, "ferry-reader-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            List<String> jvm = new ArrayList<>(JVM_OPTIONS);
            jvm.add(JvmCrash.errorFileOption(crashLogs));
            String natives = System.getProperty(Hdf5Natives.PROPERTY);
            if (natives != null) { // HDF5's libraries from where this JVM loads them, as quickly
                jvm.add("-D" + Hdf5Natives.PROPERTY + "=" + natives);
            }
            WorkerOptions options = WorkerOptions.DEFAULT.withEchoStderr(false).withStderrTailLines(10).withJvmOptions(jvm);
            try (Worker reader = Worker.start(task, input, options)) {
                running.set(reader);
                while (true) {
                    try {
                        messages.accept(reader.receive(Duration.ofSeconds(timeoutSeconds)));
                    } catch (ChannelTimeoutException e) {
                        // Some damaged files make the library loop for ever (a heap whose free
                        // list points back at itself): a reader that says nothing is stuck.
                        reader.kill();
                        return new Outcome.Stalled(timeoutSeconds);
                    } catch (ChannelClosedException e) {
                        break; // the task returned: every message is handed on
                    }
                }
                return new Outcome.Done(reader.join(EXIT));
            } catch (WorkerFailedException e) {
                Optional<JvmCrash> crash = JvmCrash.find(crashLogs);
                if (crash.isPresent()) {
                    return new Outcome.Crashed(crash.get());
                }
                if (e.signal().isPresent()) {
                    return new Outcome.Killed(e.signal().getAsInt());
                }
                throw new FerryException("the reading process failed: " + e.getMessage(), e);
            }
        } finally {
            removeTree(crashLogs);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs
            }
        }
    }

    /// {@return what went wrong reading `file`, for a message}: empty when it was read
    static Optional<String> problem(Outcome outcome, Path file) {
        return switch (outcome) {
            case Outcome.Done d -> Optional.empty();
            case Outcome.Crashed c -> Optional.of(file + ": damaged: the HDF5 library crashed reading it ("
                    + c.crash().describe() + "); the file was only read, nothing was changed");
            case Outcome.Stalled s -> Optional.of(file + ": damaged: reading it made no progress for " + s.seconds()
                    + " s (the HDF5 library can loop on a damaged file); stopped, the file was only read");
            case Outcome.Killed k -> Optional.of(file + ": the process reading it was killed by signal " + k.signal());
        };
    }

    /// @throws UsageException for a time limit below one second
    static void checkTimeout(int seconds) {
        if (seconds < 1) {
            throw new UsageException("--timeout takes a number of seconds, 1 or more, not " + seconds);
        }
    }

    /// The name of a reading's crash-log folder, before its process's pid: `ferry-reader-<pid>-<random>`.
    static final String PREFIX = "ferry-reader-";

    /// Removes the crash-log folders that processes gone left (one killed by `kill -9` runs no
    /// hook: every `stitch` or `inspect` so ended left one in the temporary directory for good).
    /// Only folders whose pid runs no more, and this user's; an empty one or one with a crash log
    /// alike (the log is the reader's, whose run is over).
    static void sweepGone() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(tmp)) {
            s.filter(p -> p.getFileName().toString().startsWith(PREFIX)).forEach(p -> {
                String rest = p.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash > 0 ? rest.substring(0, dash) : "");
                    if (ProcessHandle.of(pid).isEmpty() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                            && Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
                        removeTree(p);
                    }
                } catch (NumberFormatException | IOException | UnsupportedOperationException e) {
                    // not one of these folders, or not ours to judge: left alone
                }
            });
        } catch (IOException | RuntimeException e) {
            // a temporary directory that cannot be listed: nothing to sweep from here
        }
    }

    private static void removeTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
