package io.ferry.cli;

import io.ferry.testing.Processes;
import io.ferry.testing.ShmLeakCheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/// `ferry` run as users get it, in a child JVM, so that a test can send it signals, `kill -9` it
/// or its worker JVMs, and judge its exit code, its words and what it left in `/dev/shm` from
/// outside. Its output goes to a file (a full pipe would stall it). [#close()] kills whatever of
/// it still runs.
final class FerryJvm implements AutoCloseable {
    private static final Duration FOUND = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    /// Every worker JVM seen, so that the test can check each has exited and left nothing.
    private final Set<Long> workersSeen = new TreeSet<>();

    private FerryJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /// Starts `ferry args...`.
    static FerryJvm start(String... args) {
        return start(List.of(), args);
    }

    /// Starts `ferry args...` with `wrapper` before the java command (`setpriv …`, say).
    static FerryJvm start(List<String> wrapper, String... args) {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(javaCommand());
        cmd.addAll(List.of(args));
        return launch(cmd, null);
    }

    /// Starts `ferry args...` in the working directory `workDir`, where a JVM would leave its crash
    /// log, with `tmpDir` as its temporary directory (`java.io.tmpdir`), where it keeps its own.
    static FerryJvm startIn(Path workDir, Path tmpDir, String... args) {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add(1, "-Djava.io.tmpdir=" + tmpDir);
        cmd.addAll(List.of(args));
        return launch(cmd, workDir);
    }

    /// Starts `ferry args...` under `bash -c 'SHELL_PREFIX; exec java …'` (for `ulimit`).
    static FerryJvm startInShell(String shellPrefix, String... args) {
        StringBuilder b = new StringBuilder(shellPrefix).append("; exec");
        List<String> java = new ArrayList<>(javaCommand());
        java.addAll(List.of(args));
        for (String a : java) {
            b.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        return launch(List.of("bash", "-c", b.toString()), null);
    }

    /// The command that runs `ferry` in a JVM like this one, with this test's class path, and its
    /// crash log in the temporary directory as the launcher puts it: a test that crashed its JVM
    /// (written before the fix it tests) left `hs_err_pid*.log` in the module's folder, and a
    /// `git add -A` took it into a commit.
    static List<String> javaCommand() {
        return List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "ferry-test-hs_err_pid%p.log"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    private static FerryJvm launch(List<String> cmd, Path workDir) {
        try {
            Path log = Files.createTempFile("ferry-jvm", ".log");
            ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            if (workDir != null) {
                b.directory(workDir.toFile());
            }
            Process p = b.start();
            return new FerryJvm(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    /// {@return the worker JVMs running now} (and notes them for [#workersSeen()])
    List<ProcessHandle> workers() {
        List<ProcessHandle> w = process.toHandle().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("io.ferry.proc.ChildMain")).toList();
        w.forEach(p -> workersSeen.add(p.pid()));
        return w;
    }

    /// Waits until `n` worker JVMs run. {@return them}
    /// @throws AssertionError when they do not start within a minute, with what ferry said
    List<ProcessHandle> awaitWorkers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + FOUND.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> w = workers();
            if (w.size() >= n) {
                return w;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(n + " worker JVMs did not start (ferry " + (process.isAlive() ? "runs" : "exited")
                + "); ferry said:\n" + output());
    }

    /// Waits until ferry's slot pool has a name in `/dev/shm`. {@return its name}
    String awaitSlotSegment() throws InterruptedException {
        long deadline = System.nanoTime() + FOUND.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            for (String f : ShmLeakCheck.segmentsOf(pid())) {
                return f;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("ferry created no shared-memory segment; it said:\n" + output());
    }

    /// {@return the worker JVMs seen so far}
    Set<Long> workersSeen() {
        return Set.copyOf(workersSeen);
    }

    /// Sends SIGKILL to ferry's JVM if it still runs: for a test whose moment of killing may come after
    /// the run has ended by itself.
    void killIfAlive() {
        ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /// Sends `signal` (`INT`, `TERM`, `KILL`) to ferry's JVM.
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -s " + signal + " " + pid() + " failed");
        }
    }

    /// {@return whether ferry's JVM still runs}
    boolean isAlive() {
        return process.isAlive();
    }

    /// {@return whether ferry exited within `limit`}
    boolean awaitExit(Duration limit) throws InterruptedException {
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /// {@return the threads of ferry's JVM now (`jcmd PID Thread.print`)}, for the message of a test that saw it hang
    String threadDump() {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "Thread.print").redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return dump;
        } catch (IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /// Asserts that ferry exits within `limit`, else fails with what it said and its threads.
    void assertExitsWithin(Duration limit) throws InterruptedException {
        if (!awaitExit(limit)) {
            throw new AssertionError("ferry did not exit within " + limit + "; it said:\n" + output()
                    + "\nits threads:\n" + threadDump());
        }
    }

    int exitCode() {
        return process.exitValue();
    }

    /// {@return what ferry printed so far, stdout and stderr together}
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /// {@return the child JVMs of this ferry (worker JVMs, the reader of `ferry inspect`) that still
    /// run}: found by the parent pid on their command line, so even after ferry has exited
    List<ProcessHandle> childJvmsLeft() {
        String parent = " " + pid() + " ";
        return ProcessHandle.allProcesses().filter(p -> {
            String c = p.info().commandLine().orElse("");
            return c.contains("io.ferry.proc.ChildMain") && (c + " ").contains(parent);
        }).toList();
    }

    /// {@return the files ferry's JVM and every worker JVM seen left in `/dev/shm`}
    Set<String> shmLeftovers() {
        Set<String> left = new TreeSet<>(ShmLeakCheck.filesOf(pid()));
        for (long w : workersSeen) {
            left.addAll(ShmLeakCheck.filesOf(w));
        }
        return left;
    }

    /// {@return the worker JVMs seen that still run `limit` after this call}
    List<Long> workersRunningAfter(Duration limit) throws InterruptedException {
        workers();
        long deadline = System.nanoTime() + limit.toNanos();
        List<Long> running = new ArrayList<>(workersSeen);
        while (true) {
            running.removeIf(pid -> !Processes.isRunning(pid));
            if (running.isEmpty() || System.nanoTime() > deadline) {
                return running;
            }
            Thread.sleep(10);
        }
    }

    /// Kills ferry and its workers if they still run, and removes the log.
    @Override
    public void close() throws IOException {
        process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (long w : workersSeen) {
            ProcessHandle.of(w).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
