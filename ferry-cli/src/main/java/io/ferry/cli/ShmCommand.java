package io.ferry.cli;

import io.ferry.Sizes;
import io.ferry.shm.CreatorState;
import io.ferry.shm.FerrySegment;
import io.ferry.shm.SharedMemorySpace;
import io.ferry.shm.Sweep;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/// `ferry shm`: Ferry's segments in `/dev/shm`, and the sweep that removes those of exited processes.
@Command(name = "shm", mixinStandardHelpOptions = true,
        description = {"Ferry's shared-memory segments in /dev/shm (this user's only).",
                "Ferry names its segments fy<creator pid in base 36>_<random>, so it can tell which belong to processes that are gone;",
                "fy<pid>-<n>_<random> when another process (of another user or pid namespace) holds that pid's names."},
        subcommands = {ShmCommand.ListSegments.class, ShmCommand.Clean.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:", "  ferry shm list", "  ferry shm clean"})
final class ShmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List Ferry's segments: name, size, creator pid, and whether the creator still runs.")
    static final class ListSegments implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<FerrySegment> all = Sweep.list();
            long listed = all.stream().mapToLong(FerrySegment::byteSize).sum();
            if (all.isEmpty()) {
                out.println("no Ferry segments in /dev/shm");
            } else {
                out.printf(Locale.ROOT, "%-16s %12s %9s  %s%n", "NAME", "SIZE", "CREATOR", "CREATOR STATE");
                long total = 0;
                for (FerrySegment s : all) {
                    out.printf(Locale.ROOT, "%-16s %12s %9d  %s%n", s.name(), Sizes.human(s.byteSize()), s.creatorPid(), describe(s));
                    total += s.byteSize();
                }
                out.println(segments(all.size()) + ", " + Sizes.human(total)
                        + (all.stream().anyMatch(s -> s.creator() == CreatorState.GONE)
                        ? "; 'ferry shm clean' removes those of exited processes" : ""));
            }
            List<Long> records = Sweep.leftRecords();
            if (!records.isEmpty()) {
                out.println(records.size() + (records.size() == 1 ? " creator record" : " creator records")
                        + " of exited processes left without segments (pid " + records.stream().sorted().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + "); 'ferry shm clean' removes "
                        + (records.size() == 1 ? "it" : "them"));
            }
            unlisted(listed).ifPresent(out::println);
            out.flush();
            return 0;
        }
    }

    /// {@return a line on the space in use that the segments listed (`listed` bytes) do not
    /// account for, when there is a MiB or more of it}: an array mapped after its name was removed
    /// (every `ferry.loadtxt` array: nothing is left if its Python dies) holds its memory unseen
    /// by a listing, and a user asked why /dev/shm was full with nothing listed.
    static Optional<String> unlisted(long listed) {
        SharedMemorySpace space;
        try {
            space = SharedMemorySpace.now();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        long other = space.total() - space.free() - listed;
        if (other < 1L << 20) {
            return Optional.empty();
        }
        return Optional.of(space + "; " + Sizes.human(other) + " in use is in no segment listed here: arrays still"
                + " mapped whose names are gone (every ferry.loadtxt array, until it is let go) and other programs' files");
    }

    @Command(name = "clean", mixinStandardHelpOptions = true,
            description = {"Remove the segments of Ferry processes that have exited (even by kill -9),",
                    "and their creator records. Segments of running processes are kept, and so are those whose",
                    "creator cannot be judged from here: another pid namespace's, or with another user's record."})
    static final class Clean implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--creator", paramLabel = "PID", description = "Only the segments created by this process id.")
        Long creator;

        @Override
        public Integer call() {
            if (creator != null && creator < 1) {
                throw new UsageException("--creator takes a process id, 1 or more, not " + creator);
            }
            PrintWriter out = spec.commandLine().getOut();
            Sweep.Report r = creator == null ? Sweep.run() : Sweep.run(pid -> pid == creator);
            for (FerrySegment s : r.removed()) {
                out.printf(Locale.ROOT, "removed %s (%s) of pid %d, which has exited%n", s.name(), Sizes.human(s.byteSize()), s.creatorPid());
            }
            if (r.removed().isEmpty() && r.creatorRecords().isEmpty()) {
                out.println("nothing to remove: no segments of exited Ferry processes");
            } else if (r.removed().isEmpty()) {
                // A process killed after its segments were gone leaves its record alone.
                out.println("removed " + r.creatorRecords().size() + (r.creatorRecords().size() == 1 ? " creator record" : " creator records")
                        + " of exited processes (" + String.join(", ", r.creatorRecords()) + "); no segment was left");
            } else {
                out.println("removed " + segments(r.removed().size()) + ", "
                        + Sizes.human(r.bytesFreed()) + " freed");
            }
            long running = r.kept().stream().filter(s -> s.creator() == CreatorState.RUNNING).count();
            long unknown = r.kept().size() - running;
            if (running > 0) {
                out.println("kept " + segments(running) + " of running processes");
            }
            if (unknown > 0) {
                out.println("kept " + segments(unknown) + " whose creator cannot be judged from here (another pid namespace, "
                        + "or a creator record of another user or unreadable)");
            }
            out.flush();
            return 0;
        }
    }

    static String describe(FerrySegment s) {
        return switch (s.creator()) {
            case RUNNING -> "running";
            case GONE -> "exited";
            case UNKNOWN -> "unknown (another pid namespace, or no readable record)";
        };
    }

    private static String segments(long n) {
        return Units.counted(n, "segment");
    }
}
