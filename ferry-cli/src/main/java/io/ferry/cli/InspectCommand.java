package io.ferry.cli;

import io.ferry.FerryException;
import io.ferry.hdf5.Hdf5File;
import io.ferry.json.Json;
import io.ferry.proc.ChannelClosedException;
import io.ferry.proc.ChannelTimeoutException;
import io.ferry.proc.JvmCrash;
import io.ferry.proc.Worker;
import io.ferry.proc.WorkerFailedException;
import io.ferry.proc.WorkerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/// `ferry inspect FILE.h5`: what an HDF5 file holds, Ferry's or anyone's.
///
/// The file is read in a child JVM ([InspectTask]): the HDF5 library trusts what it reads, and a
/// damaged file can make it crash its process (a SIGSEGV in native code that no Java code can
/// catch). This JVM reports such a crash as an error naming the file, exit 1; the child's crash
/// log goes to a temporary directory that is removed, never to the working directory. A file
/// Ferry wrote can be damaged later as well, so every file is read so; the child costs a JVM
/// start (with the launcher's AOT cache, which it inherits), most of which this JVM saves by not
/// loading HDF5 itself.
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
        description = {"Shows what an HDF5 file holds: each dataset's dtype, rows, shape, chunking, "
                + "compression and attributes, and its first rows."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file was read", "1:the file is missing, unreadable, not HDF5 or damaged", "64:wrong usage"},
        footerHeading = "%nExamples:%n",
        footer = {"  ferry inspect out.h5", "  ferry inspect --head 10 --dataset sample1 out.h5"})
public final class InspectCommand implements Callable<Integer> {
    /// The JVM options of the reading child: its crash log goes to its own directory (added per
    /// run), no core dump, and a quick start (the serial collector, the first compiler only).
    private static final List<String> CHILD_OPTIONS = List.of("-XX:-CreateCoredumpOnCrash", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final Duration WAIT = Duration.ofMinutes(1);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the HDF5 file")
    Path file;

    @Option(names = {"-n", "--head"}, paramLabel = "ROWS", defaultValue = "5",
            description = "rows to show from each dataset (default: ${DEFAULT-VALUE}; 0 for none)")
    int head;

    @Option(names = {"-d", "--dataset"}, paramLabel = "NAME", description = "show only this dataset")
    String only;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "give up when reading makes no progress for this long (default: ${DEFAULT-VALUE});"
                    + " the HDF5 library can loop on a damaged file")
    int timeoutSeconds;

    @Override
    public Integer call() throws IOException {
        if (head < 0) {
            throw new UsageException("--head takes a number of rows to show, 0 or more, not " + head);
        }
        if (timeoutSeconds < 1) {
            throw new UsageException("--timeout takes a number of seconds, 1 or more, not " + timeoutSeconds);
        }
        Hdf5File.checkReadable(file); // what needs no HDF5 needs no child either
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path crashLogs = Files.createTempDirectory("ferry-inspect-");
        // SIGINT and SIGTERM run shutdown hooks, not finally blocks.
        Thread cleanup = new Thread(() -> removeTree(crashLogs), "ferry-inspect-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Optional<String> problem = readInChild(crashLogs, out);
            out.flush();
            if (problem.isPresent()) {
                err.println("ferry inspect: " + problem.get());
                err.flush();
                return ExitCode.FAILED;
            }
            return ExitCode.OK;
        } finally {
            removeTree(crashLogs);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs
            }
        }
    }

    /// Runs [InspectTask] in a child JVM, printing what it sends as it comes.
    /// {@return the problem with the file}, or empty when it was read
    private Optional<String> readInChild(Path crashLogs, PrintWriter out) {
        List<String> jvm = new java.util.ArrayList<>(CHILD_OPTIONS);
        jvm.add(JvmCrash.errorFileOption(crashLogs));
        WorkerOptions options = WorkerOptions.DEFAULT.withEchoStderr(false).withStderrTailLines(10).withJvmOptions(jvm);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put(InspectTask.FILE, file.toString());
        input.put(InspectTask.HEAD, (long) head);
        if (only != null) {
            input.put(InspectTask.DATASET, only);
        }
        try (Worker reader = Worker.start(InspectTask.class, input, options)) {
            Duration limit = Duration.ofSeconds(timeoutSeconds);
            while (true) {
                try {
                    out.print(Json.asString(reader.receive(limit), "a part of the inspection"));
                    out.flush();
                } catch (ChannelTimeoutException e) {
                    // Some damaged files make the library loop for ever (a heap's free list
                    // pointing back at itself): the reader sends a part per dataset, so a long
                    // silence means it is stuck.
                    reader.kill();
                    return Optional.of(file + ": damaged: reading it made no progress for " + timeoutSeconds
                            + " s (the HDF5 library can loop on a damaged file); stopped, the file was only read");
                } catch (ChannelClosedException e) {
                    break; // the task returned: everything it sent is printed
                }
            }
            Object result = reader.join(WAIT);
            return result == null ? Optional.empty() : Optional.of(Json.asString(result, "the inspection's result"));
        } catch (WorkerFailedException e) {
            out.flush();
            Optional<JvmCrash> crash = JvmCrash.find(crashLogs);
            if (crash.isPresent()) {
                return Optional.of(file + ": damaged: the HDF5 library crashed reading it (" + crash.get().describe()
                        + "); the file was only read, nothing was changed");
            }
            if (e.signal().isPresent()) {
                return Optional.of(file + ": the process reading it was killed by signal " + e.signal().getAsInt());
            }
            throw new FerryException("reading " + file + " failed: " + e.getMessage(), e);
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
