package io.ferry.cli;

import io.ferry.DaemonThreads;
import io.ferry.cli.options.LoaderOptions;
import io.ferry.FerryException;
import io.ferry.file.StandardInput;
import io.ferry.pipeline.DatasetNames;
import io.ferry.proc.ProcessLimits;
import io.ferry.share.SharedTables;
import io.ferry.shm.SharedArray;
import io.ferry.text.TextLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// `ferry share FILE... --dtype SPEC`: text tables in shared arrays, offered to another process.
///
/// The wait for the consumer, and what ends it:
///
/// | event | what `ferry share` does |
/// |---|---|
/// | a line `attached` or `done` on standard input | removes the names (the consumer's mappings keep the memory), exits 0 |
/// | the consumer removed every name itself (took the arrays over) | exits 0 |
/// | `--timeout SECONDS` passed since the handles were printed | removes the names, exits 1 |
/// | standard input ends | nothing: no more words will come, the wait goes on (with `--json`: the program driving ferry is gone; removes the names, exits 1) |
/// | SIGINT, SIGTERM | removes the names, exits 130, 143 |
///
/// With `-` among the inputs, standard input is that table: no word is read there (a reader of
/// words beside the loader would take lines of the table), so only the consumer's removing the
/// names, a timeout or a signal ends the wait. `ferry serve`, whose standard input carries its
/// requests, refuses `-`.
@Command(name = "share", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load text tables into shared arrays (one per FILE, in parallel) and print each handle as one",
                "line of JSON, in input order, which numpy uses as it is. Then wait for the consumer:",
                "a line 'attached' or 'done' on standard input, or the consumer removing the names itself",
                "(Python's SharedMemory.unlink()), ends the wait, the memory staying with the consumer's",
                "mappings. The end of standard input does not: nothing more can be said there, and the wait",
                "goes on (until --timeout, if given). With - (standard input) as a FILE, no word is read: only",
                "the consumer removing the names (or --timeout) ends the wait. On a terminal, standard error",
                "says what it waits for."},
        footer = {"", "Example, with Python taking the array over:",
                "  ferry share examples/sample1.txt --dtype chr:S10,pos:i4,pct:f4,c:i4,t:i4 | python3 -c '",
                "  import sys, json, numpy as np",
                "  from multiprocessing.shared_memory import SharedMemory",
                "  h = json.loads(sys.stdin.readline())",
                "  shm = SharedMemory(name=h[\"name\"])",
                "  shm.unlink()   # both have it mapped: the name can go, and ferry share ends",
                "  a = np.ndarray(tuple(h[\"shape\"]), dtype=[tuple(f) for f in h[\"dtype\"]], buffer=shm.buf)",
                "  print(a[:3])'",
                "", "From Python, ferry.loadtxt(path, dtype) and ferry.load_many(paths, dtype) do all this.",
                "", "Exit codes: 0 taken by the consumer, 1 failed or not taken (nothing left behind), 64 bad",
                "command line, 130 interrupted, 143 terminated."})
final class ShareCommand implements Callable<Integer> {
    /// How often the wait looks whether the consumer removed the names.
    private static final long LOOK_MILLIS = 20;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Text files, plain or gzip.")
    List<Path> files;

    @Mixin
    LoaderOptions loaderOptions;

    @Option(names = {"-w", "--workers"}, paramLabel = "N",
            description = "Threads that load (default: the number of cores): files loaded at once, and a big plain file cut"
                    + " into byte ranges parsed at once when there are fewer files than threads.")
    Integer workers;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Give up (remove the arrays, exit 1) when no consumer has taken them this long after the handles were printed. Default: wait.")
    Double timeout;

    @Option(names = "--json", description = "For programs driving ferry: one JSON object a line on standard output (arrays with"
            + " their file and dataset name, errors with file and line); the end of standard input means that program is gone.")
    boolean json;

    /// The consumer's words: standard input's, read from the start of the share, unless a
    /// `ferry serve` that reads standard input for its requests gives its own.
    private final ConsumerWords given;

    ShareCommand() {
        this(null);
    }

    /// A share whose consumer speaks through `words` (`ferry serve`'s).
    ShareCommand(ConsumerWords words) {
        this.given = words;
    }

    @Override
    public Integer call() throws Exception {
        MachineOutput machine = json ? new MachineOutput(System.out) : null;
        return MachineOutput.reportingFailures(machine, () -> share(machine));
    }

    private int share(MachineOutput machine) throws Exception {
        TextLoader loader = loaderOptions.loader();
        Inputs.checkReadable(files);
        checkNamesApart(files);
        int n = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw new UsageException("--workers takes a number of workers, 1 or more, not " + n);
        }
        if (timeout != null && !(timeout > 0)) {
            throw new UsageException("--timeout takes a number of seconds greater than 0, not " + timeout);
        }
        checkOpenFiles(files.size());
        boolean tableOnStandardInput = files.stream().anyMatch(StandardInput::is);
        if (tableOnStandardInput && given != null) {
            throw new UsageException("- (standard input) cannot be an input of ferry serve's shares: its standard input"
                    + " carries the requests");
        }
        // Standard input that is a table carries no words: a reader of them would take its lines.
        ConsumerWords words = given != null ? given
                : tableOnStandardInput ? ConsumerWords.none() : ConsumerWords.listen(new PolledStandardInput());
        List<SharedArray> shared = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(n, files.size()),
                new DaemonThreads("ferry-share-"));
        int threadsPerFile = Math.max(1, n / files.size());
        boolean[] cancelled = {false};
        List<Future<SharedArray>> loads = new ArrayList<>();
        // SIGINT and SIGTERM run shutdown hooks, not finally blocks: loads still running stop at
        // their next chunk and remove their arrays before the JVM halts.
        Thread stopLoads = Thread.ofPlatform().unstarted(() -> {
            cancelled[0] = true;
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(stopLoads);
        try {
            for (Path f : files) {
                loads.add(pool.submit(() -> SharedTables.load(loader, f, threadsPerFile, () -> cancelled[0])));
            }
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                shared.add(awaitLoad(loads.get(i), f, words));
                if (machine != null) {
                    machine.array(i, f, DatasetNames.of(f), shared.get(i));
                } else {
                    System.out.println(shared.get(i).handleJson());
                }
                if (System.out.checkError()) {   // flushes; a consumer gone (EPIPE) or /dev/full
                    throw new FerryException("could not write the handle of " + shared.get(i).name()
                            + " to standard output (the consumer is gone, or it is full): no consumer can take it; removed");
                }
            }
            return awaitConsumer(shared, words, !tableOnStandardInput);
        } finally {
            cancelled[0] = true;
            pool.shutdown();
            // A load still running stops at its next chunk and removes its array; wait for that,
            // so that nothing is created after this command has cleaned up.
            pool.awaitTermination(1, TimeUnit.MINUTES);
            for (Future<SharedArray> f : loads) {
                if (f.state() == Future.State.SUCCESS && !shared.contains(f.resultNow())) {
                    f.resultNow().close();
                }
            }
            for (SharedArray a : shared) {
                a.close();   // the owner's close removes the name if it is still there
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopLoads);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs
            }
        }
    }

    /// Refuses two inputs that would be one array's name (ferry.load_many's key): a share has no
    /// name template, which is how a conversion tells them apart.
    private static void checkNamesApart(List<Path> files) {
        List<String> names = files.stream().map(DatasetNames::of).toList();
        DatasetNames.firstClash(names).ifPresent(clash -> {
            throw new UsageException("inputs " + files.get(clash[0]) + " and " + files.get(clash[1]) + " would both be the array named '"
                    + names.get(clash[1]) + "' (the file's name without its folder and extension): share them in separate calls,"
                    + " or rename one");
        });
    }

    /// Refuses, before any work, more inputs than this process may keep open: each shared array
    /// holds its segment open until the consumer takes it. Past the limit a load failed wherever
    /// the next file was opened, in words that did not say why (a JDK file "not found", a stack
    /// trace). The JVM has raised the soft limit to the hard one already.
    private static void checkOpenFiles(int inputs) {
        String tooMany = tooManyToKeepOpen(inputs, ProcessLimits.openFiles(), ProcessLimits.filesOpen());
        if (tooMany != null) {
            throw new FerryException(tooMany);
        }
    }

    /// {@return why `inputs` arrays cannot be kept open by a process that may open `limit` files
    /// and has `open` open}, or null when they can (or either is unknown, -1)
    static String tooManyToKeepOpen(int inputs, long limit, long open) {
        if (limit <= 0 || open < 0 || open + inputs + OPEN_FILES_MARGIN <= limit) {
            return null;
        }
        long room = limit - open - OPEN_FILES_MARGIN;
        String said = Units.counted(inputs, "input") + ": each shared array keeps a file open until it is taken,"
                + " and this process may open " + limit + " files (ulimit -n; " + open + " are open already, and a"
                + " load needs about " + OPEN_FILES_MARGIN + " more): ";
        // (it said "share at most 1 at once" to the one input it refused)
        return said + (room > 0 ? "share at most " + room + " at once, or raise the limit"
                : "raise the limit to " + (open + inputs + OPEN_FILES_MARGIN) + " or more");
    }

    /// Files a load opens beside its arrays': its input once for each thread that reads a part of
    /// it, the JDK's own (one input loaded under `ulimit -n 22`, 9 open already, with 2 threads).
    private static final int OPEN_FILES_MARGIN = 12;

    /// {@return the array `load` made}, watching meanwhile whether a driving program went away
    private SharedArray awaitLoad(Future<SharedArray> load, Path file, ConsumerWords words) throws Exception {
        while (true) {
            try {
                return load.get(LOOK_MILLIS * 5, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (json && words.drained()) {
                    throw driverGone();
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SharedTables.Cancelled) {
                    // only the shutdown hook cancels a load that is awaited: said as "Cancelled: cancelled"
                    throw new FerryException(file + ": the load was stopped: Ferry was asked to end (SIGINT or SIGTERM)"
                            + " while it loaded; nothing of it is left");
                }
                // an Error (the JDK's InternalError when it cannot read its own files) is said in
                // one line too, not as a stack trace
                throw e.getCause() instanceof Exception x ? x : new FerryException(Main.describe(e.getCause()), e.getCause());
            }
        }
    }

    /// Waits for the consumer to take the arrays, its `words` too when it `canSpeak` on standard
    /// input. {@return the exit code}
    private int awaitConsumer(List<SharedArray> shared, ConsumerWords words, boolean canSpeak) throws Exception {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + (long) (timeout * 1e9);
        PrintStream err = System.err;
        boolean terminal = stderrIsTerminal();
        if (terminal) {
            err.println("ferry share: waiting for the consumer: " + (canSpeak ? "a line 'attached' or 'done' here, or " : "")
                    + "the consumer removing " + names(shared) + (timeout == null ? "" : ", or " + timeout + " s")
                    + " (Ctrl-C gives up)");
        }
        boolean endNoted = false;
        while (true) {
            String word = words.next(LOOK_MILLIS);
            if (word == ConsumerWords.END) {
                if (json) {
                    throw driverGone();
                }
                if (terminal && !endNoted) {
                    endNoted = true;
                    err.println("ferry share: standard input ended; still waiting for the consumer to remove "
                            + names(shared) + (timeout == null ? "" : ", or " + timeout + " s"));
                }
            } else if (word != null) {
                switch (word) {
                    case "attached", "done" -> {
                        shared.forEach(SharedArray::unlink);
                        return ExitCode.OK;
                    }
                    case "" -> {
                        // a blank line says nothing
                    }
                    default -> err.println("ferry share: ignoring '" + printable(word) + "' (say attached or done)");
                }
            }
            if (shared.stream().noneMatch(a -> a.segment().nameExists())) {
                return ExitCode.OK;   // the consumer took every array over
            }
            if (System.nanoTime() - deadline > 0) {
                shared.forEach(SharedArray::unlink);
                throw new FerryException("no consumer took " + names(shared) + " within " + timeout + " s (--timeout); removed");
            }
        }
    }

    private FerryException driverGone() {
        return new FerryException("standard input ended: the program driving ferry share (--json) is gone; removed the arrays");
    }

    private static String names(List<SharedArray> shared) {
        List<String> names = shared.stream().map(SharedArray::name).toList();
        return names.size() == 1 ? names.getFirst() : names.size() + " arrays (" + String.join(", ", names) + ")";
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    /// {@return whether standard error is a terminal}: Linux names the device behind descriptor 2
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty")) && !"dumb".equals(System.getenv("TERM"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
