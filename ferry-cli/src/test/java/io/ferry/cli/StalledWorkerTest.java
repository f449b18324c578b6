package io.ferry.cli;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A worker JVM of `ferry convert --isolation process` that stops making progress: the run used
/// to wait for it silently, for ever. Now it ends by itself with exit 1, naming the worker and its
/// state; no output, no temporary file, nothing in `/dev/shm`, and the worker killed.
///
/// - `kill -STOP` after the workers mapped the slots: given up on 2 s after it was stopped.
/// - `kill -STOP` before it mapped them: the same, said as such (it used to be reported, a minute
///   later, as a missing message).
/// - frozen (a cgroup freezer: state `D`, not stopped), so that it makes no progress: given up on
///   after `--stall-timeout`.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class StalledWorkerTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final Path FREEZER = Path.of("/sys/fs/cgroup/freezer");

    @TempDir
    Path dir;

    @Test
    void aWorkerStoppedWhileParsingEndsTheRun() throws Exception {
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(dir.resolve("out.h5"), "process"))) {
            awaitEveryWorkerMapped(ferry);
            ProcessHandle victim = ferry.workers().getFirst();
            signal("STOP", victim.pid());
            String said = judge(ferry);
            assertTrue(said.matches("(?s)(.*\n)?ferry convert: worker process " + victim.pid() + " is stopped while parsing "
                    + Pattern.quote(SampleInputs.busy().toString()) + "( \\(bytes from \\d+\\))?: its state is T \\(stopped by"
                    + " SIGSTOP or SIGTSTP\\); after 2 s it was killed\n"), said);
        }
    }

    /// A stalled worker is a worker's failure in `--json`, as a dead one is (Python's
    /// ferry.WorkerError): it was `"kind": "failed"`, a FerryError.
    @Test
    void aStoppedWorkersJsonErrorIsAWorkers() throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(SampleInputs.slowConvert(dir.resolve("out.h5"), "process")));
        args.add("--json");
        try (FerryJvm ferry = FerryJvm.start(args.toArray(String[]::new))) {
            awaitEveryWorkerMapped(ferry);
            ProcessHandle victim = ferry.workers().getFirst();
            signal("STOP", victim.pid());
            String said = judge(ferry);
            String line = said.lines().filter(l -> l.startsWith("{\"error\"")).findFirst().orElseThrow(() -> new AssertionError(said));
            var error = io.ferry.json.Json.asObject(io.ferry.json.Json.asObject(io.ferry.json.Json.parse(line), "line")
                    .get("error"), "error");
            assertEquals("worker", error.get("kind"), line);
            assertTrue(String.valueOf(error.get("message")).startsWith("worker process " + victim.pid() + " is stopped"), line);
        }
    }

    @Test
    void aWorkerStoppedBeforeItMappedTheSlotsIsSaidToBe() throws Exception {
        try (FerryJvm ferry = FerryJvm.start(SampleInputs.slowConvert(dir.resolve("out.h5"), "process"))) {
            ProcessHandle victim = awaitFirstWorker(ferry);
            signal("STOP", victim.pid());
            String slots = ferry.awaitSlotSegment();
            assertFalse(Files.readString(Path.of("/proc/" + victim.pid() + "/maps")).contains(slots),
                    "the worker was stopped before it mapped the slots");
            String said = judge(ferry);
            assertTrue(said.endsWith("ferry convert: worker process " + victim.pid() + " is stopped before it mapped the chunk"
                    + " slots: its state is T (stopped by SIGSTOP or SIGTSTP); after 2 s it was killed\n"), said);
        }
    }

    /// A frozen worker is not stopped (its state is `D`), and its silence is all that shows: the
    /// run waits `--stall-timeout` (3 s here) for progress. Freezing needs root and cgroup v1's
    /// freezer; SIGKILL takes effect on a frozen process only once it is thawed, so the test thaws
    /// it after ferry has ended.
    @Test
    void aWorkerThatMakesNoProgressEndsTheRunAfterTheStallTimeout() throws Exception {
        Path group = FREEZER.resolve("ferry-test-" + ProcessHandle.current().pid());
        Assumptions.assumeTrue(Files.isWritable(FREEZER), "no cgroup v1 freezer to write to at " + FREEZER);
        Files.createDirectory(group);
        List<String> args = new java.util.ArrayList<>(List.of(SampleInputs.slowConvert(dir.resolve("out.h5"), "process")));
        args.addAll(List.of("--stall-timeout", "3"));
        try (FerryJvm ferry = FerryJvm.start(args.toArray(String[]::new))) {
            awaitEveryWorkerMapped(ferry);
            ProcessHandle victim = ferry.workers().getFirst();
            Files.writeString(group.resolve("cgroup.procs"), Long.toString(victim.pid()));   // every thread of it
            Files.writeString(group.resolve("freezer.state"), "FROZEN");
            ferry.assertExitsWithin(BOUND);
            Files.writeString(group.resolve("freezer.state"), "THAWED");
            String said = judge(ferry);
            assertTrue(said.matches("(?s)(.*\n)?ferry convert: worker process " + victim.pid() + " made no progress for 3 s while"
                    + " parsing " + Pattern.quote(SampleInputs.busy().toString()) + "( \\(bytes from \\d+\\))?: its state is"
                    + " D \\(waiting in the kernel: disk or network I/O, or frozen\\); it was killed\\. If one chunk can take"
                    + " that long to parse, allow more with --stall-timeout\n"), said);
        } finally {
            Files.writeString(group.resolve("freezer.state"), "THAWED");
            awaitEmpty(group);
            Files.delete(group);
        }
    }

    /// Asserts that ferry ends by itself with exit 1 and leaves nothing behind. {@return what it said}
    private String judge(FerryJvm ferry) throws Exception {
        ferry.assertExitsWithin(BOUND);
        String said = ferry.output();
        assertEquals(1, ferry.exitCode(), said);
        assertEquals(List.of(), SampleInputs.outputsIn(dir), "no output and no temporary file");
        assertEquals(List.of(), ferry.workersRunningAfter(Duration.ofSeconds(10)), "every worker JVM is gone, the stalled one too");
        assertEquals(Set.of(), ferry.shmLeftovers(), "nothing in /dev/shm");
        return said;
    }

    /// Waits until every worker has mapped the slots: ferry then removes the pool's name.
    private static void awaitEveryWorkerMapped(FerryJvm ferry) throws Exception {
        String slots = ferry.awaitSlotSegment();
        ferry.awaitWorkers(2);
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (ShmLeakCheck.exists(slots)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the workers did not map the slots; ferry said:\n" + ferry.output());
            }
            Thread.sleep(1);
        }
    }

    /// {@return the first worker JVM}, as soon as it appears: long before it can have mapped anything
    private static ProcessHandle awaitFirstWorker(FerryJvm ferry) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> w = ferry.workers();
            if (!w.isEmpty()) {
                return w.getFirst();
            }
            Thread.sleep(0, 200_000);
        }
        throw new AssertionError("no worker JVM started; ferry said:\n" + ferry.output());
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -s " + signal + " " + pid);
    }

    private static void awaitEmpty(Path group) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!Files.readString(group.resolve("cgroup.procs")).isBlank() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
