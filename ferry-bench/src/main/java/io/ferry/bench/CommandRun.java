package io.ferry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// One finished run of a command: exit code, wall time, CPU time and peak memory of its whole
/// process tree. Its stdout and stderr go to log files, never to a pipe that could fill.
///
/// @param exitCode           the command's exit code (-1 when killed after the timeout)
/// @param wallNanos          from start to exit
/// @param cpuNanos           user + system time of the command and every descendant its parent waited for
/// @param peakMemoryBytes    see [ProcessTreeMemory]
/// @param peakPssBytes       largest Σ Pss over the tree (shared memory mapped included)
/// @param peakRssSumBytes    largest Σ Rss over the tree (shared pages counted once per process)
/// @param peakShmGrowthBytes largest growth of `/dev/shm`'s used space during the run
/// @param peakProcesses      most processes alive in the tree at one sample
/// @param samples            memory samples taken
/// @param samplingNanos      CPU time the harness spent taking them
/// @param stdout             its stdout log
/// @param stderr             its stderr log
record CommandRun(int exitCode, long wallNanos, long cpuNanos, long peakMemoryBytes, long peakPssBytes,
                  long peakRssSumBytes, long peakShmGrowthBytes, int peakProcesses, int samples, long samplingNanos, Path stdout, Path stderr) {

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

    /// Runs `command` in `dir` and waits for it, sampling its memory every `sampleMillis`.
    static CommandRun run(List<String> command, Path dir, Path logPrefix, int sampleMillis, long timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = Path.of(logPrefix + ".out");
        Path err = Path.of(logPrefix + ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        var shmBefore = ProcessTreeMemory.shmNames();
        long cpuBefore = childrenCpuTicks();
        long t0 = System.nanoTime();
        Process p = pb.start();
        int exit;
        long wall;
        try (ProcessTreeMemory memory = ProcessTreeMemory.start(p.toHandle(), sampleMillis, shmBefore)) {
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                wall = System.nanoTime() - t0;
                exit = p.exitValue();
            } else {
                wall = System.nanoTime() - t0;
                killTree(p);
                exit = -1;
                Files.writeString(err, "\ne2e: killed after the timeout of " + timeoutSeconds + " s\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            }
            memory.close();
            long cpu = (childrenCpuTicks() - cpuBefore) * NANOS_PER_TICK;
            return new CommandRun(exit, wall, cpu, memory.peakBytes(), memory.peakPssBytes(), memory.peakRssSumBytes(),
                    memory.peakShmGrowthBytes(), memory.peakProcesses(), memory.samples(), memory.samplingNanos(), out, err);
        }
    }

    /// Runs a short untimed command; {@return its exit code}
    static int quiet(List<String> command, Path dir, Path logPrefix, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(Path.of(logPrefix + ".out").toFile())
                .redirectError(Path.of(logPrefix + ".err").toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            killTree(p);
            return -1;
        }
        return p.exitValue();
    }

    private static void killTree(Process p) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>();
        p.descendants().forEach(tree::add);
        p.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        p.waitFor();
    }

    /// {@return cutime + cstime of this JVM}: CPU ticks of the children it has waited for
    private static long childrenCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": f[0] is field 3 (state); cutime is field 16, cstime field 17
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /// {@return the first and last non-blank lines of `log`} (an error usually comes first and the
    /// usage or stack trace after it), joined by " | … | ", or "" when there are none
    static String summary(Path log) {
        try {
            List<String> lines = new ArrayList<>();
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    lines.add(l.strip());
                }
            }
            if (lines.size() <= 2) {
                return String.join(" | ", lines);
            }
            return lines.getFirst() + " | … | " + lines.getLast();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /// {@return the last `n` non-blank lines of `log`, joined by " | "}, or "" when there are none
    static String lastLines(Path log, int n) {
        try {
            List<String> lines = new ArrayList<>();
            for (String l : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (!l.isBlank()) {
                    lines.add(l.strip());
                }
            }
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
