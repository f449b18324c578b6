package io.ferry.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/// Samples the memory of a process and all its descendants, every few milliseconds, from `/proc`.
///
/// At each sample, for every live process of the tree it reads `/proc/PID/smaps_rollup`:
/// `Pss` shares each page among the processes that map it, so a shared segment mapped by a parent
/// and a child counts once, not twice. Shared memory in `/dev/shm` can also live while no
/// process maps it (the classic recipe's segment between the child's exit and the parent's
/// attach), so the sample also takes the run's segments in `/dev/shm`: the files created since the
/// start, less Ferry segments whose creator (`fy<pid base 36>_…`, by `SegmentName.creatorPid`) is outside the tree, so that
/// other Ferry programs on the machine do not count, and at most the growth of `/dev/shm`'s used
/// space (a segment's pages are allocated when touched). Each shared page counts once:
///
/// ```
/// memory = Σ (Pss − Pss_Shmem)  +  max(Σ Pss_Shmem, /dev/shm growth)
///          private and file pages    shared-memory pages, mapped or not
/// ```
///
/// The peak is the largest sample. Segments of other programs than Ferry (Python's `psm_…`)
/// created during the run count too: the names do not say who made them.
final class ProcessTreeMemory implements AutoCloseable {
    private static final Path SHM = Path.of("/dev/shm");
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final ProcessHandle root;
    private final long periodMillis;
    private final Set<String> shmBaseline;
    private final long shmUsedAtStart = shmUsedBytes();
    private final Thread thread;
    private volatile boolean stop;

    private long peakBytes;
    private long peakPssBytes;
    private long peakRssSumBytes;
    private long peakShmGrowthBytes;
    private int peakProcesses;
    private int samples;
    private long samplingNanos;

    private ProcessTreeMemory(ProcessHandle root, long periodMillis, Set<String> shmBaseline) {
        this.root = root;
        this.periodMillis = periodMillis;
        this.shmBaseline = shmBaseline;
        this.thread = Thread.ofPlatform().daemon().name("e2e-memory-" + root.pid()).unstarted(this::loop);
    }

    /// Starts sampling `root`'s tree; `shmBaseline` is [#shmNames()] before it started.
    static ProcessTreeMemory start(ProcessHandle root, long periodMillis, Set<String> shmBaseline) {
        ProcessTreeMemory m = new ProcessTreeMemory(root, periodMillis, shmBaseline);
        m.thread.start();
        return m;
    }

    /// {@return the bytes used in `/dev/shm` now}, or 0 when it cannot be read
    static long shmUsedBytes() {
        try {
            var store = Files.getFileStore(SHM);
            return store.getTotalSpace() - store.getUnallocatedSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    /// {@return the names in `/dev/shm` now}, none when it cannot be read
    static Set<String> shmNames() {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(SHM)) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        } catch (IOException e) {
            // no /dev/shm: nothing to count
        }
        return names;
    }

    /// {@return the bytes of the segments this run made}: the sizes of the files new since the
    /// start, except Ferry segments of creators outside `tree`; but no more than `/dev/shm`'s
    /// used space grew, since a segment's pages come when touched and its size says only how many
    /// it may take
    private long shmGrowth(List<Long> tree) {
        return Math.min(shmFileBytes(tree), Math.max(0, shmUsedBytes() - shmUsedAtStart));
    }

    private long shmFileBytes(List<Long> tree) {
        long bytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(SHM)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                OptionalLong creator = io.ferry.shm.SegmentName.creatorPid(name);
                if (shmBaseline.contains(name) || (creator.isPresent() && !tree.contains(creator.getAsLong()))) {
                    continue;
                }
                try {
                    bytes += Files.size(f);
                } catch (IOException gone) {
                    // unlinked since the listing
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return bytes;
    }

    private void loop() {
        while (!stop) {
            sample();
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        long t0 = CPU.getCurrentThreadCpuTime();
        List<Long> tree = tree(root.pid());
        long pss = 0;
        long pssShmem = 0;
        long rss = 0;
        int alive = 0;
        for (long pid : tree) {
            long[] v = rollup(pid);
            if (v != null) {
                pss += v[0];
                pssShmem += v[1];
                rss += v[2];
                alive++;
            }
        }
        long growth = shmGrowth(tree);
        long total = pss - pssShmem + Math.max(pssShmem, growth);
        synchronized (this) {
            samples++;
            peakBytes = Math.max(peakBytes, total);
            peakPssBytes = Math.max(peakPssBytes, pss);
            peakRssSumBytes = Math.max(peakRssSumBytes, rss);
            peakShmGrowthBytes = Math.max(peakShmGrowthBytes, growth);
            peakProcesses = Math.max(peakProcesses, alive);
            samplingNanos += CPU.getCurrentThreadCpuTime() - t0;
        }
    }

    /// {@return `root` and its descendants}, found through `/proc/PID/task/TID/children`: a walk
    /// of this tree only, where `ProcessHandle.descendants()` reads every process on the machine
    /// (about 10 ms a call here, half a sampling period)
    static List<Long> tree(long root) {
        List<Long> found = new ArrayList<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(root);
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            found.add(pid);
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
                for (Path task : tasks) {
                    String children;
                    try {
                        children = Files.readString(task.resolve("children")).strip();
                    } catch (IOException e) {
                        continue; // the thread ended
                    }
                    if (!children.isEmpty()) {
                        for (String c : children.split(" ")) {
                            todo.add(Long.parseLong(c));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended
            }
        }
        return found;
    }

    /// {@return `{Pss, Pss_Shmem, Rss}` in bytes for `pid`}, or null when it is gone or unreadable
    private static long[] rollup(long pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        long pss = -1;
        long shmem = 0;
        long rss = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("Pss:")) {
                pss = kib(line);
            } else if (line.startsWith("Pss_Shmem:")) {
                shmem = kib(line);
            } else if (line.startsWith("Rss:")) {
                rss = kib(line);
            }
        }
        return pss < 0 ? null : new long[] {pss, shmem, rss};
    }

    private static long kib(String line) {
        String[] parts = line.trim().split("\\s+");
        return Long.parseLong(parts[1]) * 1024;
    }

    /// Stops sampling.
    @Override
    public void close() {
        if (stop) {
            return;
        }
        stop = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized long peakBytes() {
        return peakBytes;
    }

    synchronized long peakPssBytes() {
        return peakPssBytes;
    }

    /// {@return the largest Σ Rss over the tree}: what summing `ps` or `top` would say, shared
    /// pages (libraries, segments mapped by parent and child, copy-on-write after fork) counted
    /// once per process; kept for comparison only
    synchronized long peakRssSumBytes() {
        return peakRssSumBytes;
    }

    synchronized long peakShmGrowthBytes() {
        return peakShmGrowthBytes;
    }

    synchronized int peakProcesses() {
        return peakProcesses;
    }

    synchronized int samples() {
        return samples;
    }

    /// {@return the CPU time spent sampling}: a cost the machine's other work paid (reading
    /// `smaps_rollup` walks the page tables, a few ms per GiB mapped)
    synchronized long samplingNanos() {
        return samplingNanos;
    }
}
