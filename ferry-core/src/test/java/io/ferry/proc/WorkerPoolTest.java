package io.ferry.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

import static io.ferry.proc.TestWorkers.OPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class WorkerPoolTest {
    @AfterEach
    void noChildProcessesLeft() throws InterruptedException {
        TestWorkers.assertNoChildProcessesLeft();
    }

    @Test
    void docExample() {
        try (WorkerPool pool = WorkerPool.start(2, OPTIONS)) {
            List<Object> lengths = pool.map(TestTasks.Length.class, List.of("a", "bb", "ccc")); // [1, 2, 3]
            assertEquals(List.of(1L, 2L, 3L), lengths);
        }
    }

    @Test
    void mapKeepsInputOrderAndReusesChildren() {
        List<Long> inputs = LongStream.range(0, 12).boxed().toList();
        try (WorkerPool pool = WorkerPool.start(2, OPTIONS)) {
            List<Object> results = pool.map(TestTasks.Square.class, inputs);
            Set<Object> pids = new HashSet<>();
            for (int i = 0; i < inputs.size(); i++) {
                List<?> squareAndPid = (List<?>) results.get(i);
                assertEquals((long) i * i, squareAndPid.get(0));
                pids.add(squareAndPid.get(1));
            }
            assertEquals(2, pids.size(), "12 inputs on 2 reused children");
            // A second map runs on the same children.
            assertEquals(List.of(List.of(49L, 0L).get(0)), pool.map(TestTasks.Square.class, List.of(7)).stream()
                    .map(r -> ((List<?>) r).get(0)).toList());
            assertEquals(2, pool.workersStarted());
        }
    }

    @Test
    void deadChildFailsOnlyItsInputAndIsReplaced() {
        List<Long> inputs = new ArrayList<>(LongStream.range(0, 10).boxed().toList());
        inputs.set(4, -9L); // its child kills itself with kill -9
        inputs.set(7, -1L); // its task throws; the child goes on
        try (WorkerPool pool = WorkerPool.start(2, OPTIONS)) {
            List<TaskOutcome> outcomes = pool.mapOutcomes(TestTasks.Square.class, inputs);
            String all = outcomes.stream().map(o -> o.succeeded() ? o.toString() : ((TaskOutcome.Failure) o).error().getMessage())
                    .collect(java.util.stream.Collectors.joining("\n"));
            assertEquals(10, outcomes.size());
            for (TaskOutcome o : outcomes) {
                assertEquals(inputs.get(o.index()), o.input());
                assertEquals(o.index() != 4 && o.index() != 7, o.succeeded(), () -> "input " + o.index() + ":\n" + all);
            }
            var killed = assertInstanceOf(WorkerFailedException.class, ((TaskOutcome.Failure) outcomes.get(4)).error());
            assertEquals(9, killed.signal().orElseThrow(), all);
            assertEquals(4, killed.inputIndex().orElseThrow());
            assertTrue(killed.stderrTail().contains("killing myself"), all);
            assertTrue(((TaskOutcome.Failure) outcomes.get(4)).reason().matches(
                    "worker 'io.ferry.proc.TestTasks\\$Square' \\(pid \\d+\\) was killed by signal 9 \\(SIGKILL\\)"
                            + " while processing input 4 \\(-9\\)"), ((TaskOutcome.Failure) outcomes.get(4)).reason());
            var threw = assertInstanceOf(WorkerFailedException.class, ((TaskOutcome.Failure) outcomes.get(7)).error());
            assertEquals("no square for -1", threw.errorMessage().orElseThrow());
            assertTrue(threw.exitCode().isEmpty(), "a pool's child survives its task's exception\n" + all);
            assertEquals(3, pool.workersStarted(), "one replacement for the killed child\n" + all);
            Set<Long> pids = new HashSet<>();
            outcomes.stream().filter(TaskOutcome::succeeded).forEach(o -> pids.add(((TaskOutcome.Success) o).pid()));
            assertTrue(pids.size() <= 3, pids::toString);

            // map says the same by throwing after every input ran.
            PoolMapException e = assertThrows(PoolMapException.class, () -> pool.map(TestTasks.Square.class, List.of(1, -1, 3)));
            assertTrue(e.getMessage().startsWith("1 of 3 inputs failed:\n  input 1 (-1): worker 'io.ferry.proc.TestTasks$Square' (pid "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("failed while processing input 1 (-1): java.lang.IllegalArgumentException: no square for -1"),
                    e.getMessage());
            assertEquals(List.of(1), e.failures().stream().map(TaskOutcome.Failure::index).toList());
            assertEquals(List.of(1L, 9L), e.outcomes().stream().filter(TaskOutcome::succeeded)
                    .map(o -> ((List<?>) ((TaskOutcome.Success) o).result()).getFirst()).toList());
        }
    }

    @Test
    void tasksSendMessagesAndGetReplies() {
        Map<Integer, List<Object>> progress = new ConcurrentHashMap<>();
        TaskMessageHandler ack = (index, message, task) -> {
            List<Object> seen = progress.computeIfAbsent(index, k -> new ArrayList<>());
            seen.add(message);
            if (seen.size() == 3) {
                task.send("done");
            }
        };
        try (WorkerPool pool = WorkerPool.start(2, OPTIONS)) {
            assertEquals(List.of(10L, 20L, 30L, 40L), pool.map(TestTasks.Progress.class, List.of(1, 2, 3, 4), ack));
        }
        assertEquals(List.of(Map.of("input", 3L, "step", 1L), Map.of("input", 3L, "step", 2L), Map.of("input", 3L, "step", 3L)),
                progress.get(2));
        assertEquals(Set.of(0, 1, 2, 3), progress.keySet());
    }

    @Test
    void handlerDocExampleAndLateRepliesAreDropped() {
        // Progress sends three messages, so it gets three "done"s but reads one: the two late ones
        // must not reach the next input's task.
        TaskMessageHandler ack = (index, message, task) -> task.send("done");
        try (WorkerPool pool = WorkerPool.start(1, OPTIONS)) {
            assertEquals(List.of(10L, 20L, 30L), pool.map(TestTasks.Progress.class, List.of(1, 2, 3), ack));
            assertEquals(1, pool.workersStarted());
        }
    }

    @Test
    void handlerFailureFailsItsInputAndReplacesTheChild() {
        TaskMessageHandler picky = (index, message, task) -> {
            if (index == 1) {
                throw new IllegalStateException("cannot attach");
            }
            if (Map.of("input", (long) index, "step", 3L).equals(message)) {
                task.send("done");
            }
        };
        try (WorkerPool pool = WorkerPool.start(1, OPTIONS)) {
            List<TaskOutcome> outcomes = pool.mapOutcomes(TestTasks.Progress.class, List.of(0, 1, 2), picky);
            assertEquals(List.of(true, false, true), outcomes.stream().map(TaskOutcome::succeeded).toList());
            assertTrue(((TaskOutcome.Failure) outcomes.get(1)).reason().startsWith("the message handler failed on input 1 of worker"));
            assertEquals(2, pool.workersStarted());
        }
    }

    @Test
    void closeDuringAMapKillsStragglersAndFailsWhatIsLeft() throws Exception {
        WorkerPool pool = WorkerPool.start(1, OPTIONS.withStopTimeout(java.time.Duration.ofMillis(300)));
        List<List<TaskOutcome>> result = new java.util.concurrent.CopyOnWriteArrayList<>();
        var firstTaskRuns = new java.util.concurrent.CountDownLatch(1);
        Thread mapping = Thread.ofPlatform().start(() -> result.add(pool.mapOutcomes(TestTasks.Stall.class, List.of(60, 60),
                (index, message, task) -> firstTaskRuns.countDown())));
        assertTrue(firstTaskRuns.await(30, java.util.concurrent.TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        pool.close();
        mapping.join(30_000);
        assertTrue(System.nanoTime() - t0 < java.time.Duration.ofSeconds(10).toNanos());
        List<TaskOutcome> outcomes = result.getFirst();
        assertEquals(List.of(false, false), outcomes.stream().map(TaskOutcome::succeeded).toList());
        assertTrue(((TaskOutcome.Failure) outcomes.get(0)).reason().contains("was killed by signal 9 (SIGKILL) while processing input 0 (60)"),
                ((TaskOutcome.Failure) outcomes.get(0)).reason());
        assertEquals("the pool is closed", ((TaskOutcome.Failure) outcomes.get(1)).reason());
    }

    /// The timeout measures the task, not the child JVM's start: here every JVM takes 1.5 s to
    /// start (a launcher that sleeps first, as a loaded machine may), longer than the 1 s timeout,
    /// and the quick input on the replacement child still succeeds. (It used to fail when the
    /// replacement's start took longer than the timeout.)
    @Test
    void inputThatRunsTooLongIsKilledAndFailsAlone(@TempDir Path dir) throws IOException {
        Path slowJava = dir.resolve("slow-java");
        Files.writeString(slowJava, "#!/bin/sh\nsleep 1.5\nexec '" + OPTIONS.javaCommand() + "' \"$@\"\n");
        Files.setPosixFilePermissions(slowJava, PosixFilePermissions.fromString("rwx------"));
        WorkerOptions slowStart = OPTIONS.withJavaCommand(slowJava).withInputTimeout(Duration.ofSeconds(1));
        try (WorkerPool pool = WorkerPool.start(1, slowStart)) {
            // Stall sleeps 60 s, and is killed; Stall of 0 s is quick, on the replacement child.
            List<TaskOutcome> outcomes = pool.mapOutcomes(TestTasks.Stall.class.getName(), List.of(60, 0),
                    TaskMessageHandler.ignore());
            var slow = assertInstanceOf(WorkerFailedException.class, ((TaskOutcome.Failure) outcomes.get(0)).error());
            assertEquals(9, slow.signal().orElseThrow());
            assertTrue(slow.getMessage().contains("while processing input 0 (60): it sent no result within PT1S, so it was killed"),
                    slow.getMessage());
            assertEquals("woke up", assertInstanceOf(TaskOutcome.Success.class, outcomes.get(1)).result(), outcomes.get(1).toString());
            assertEquals(2, pool.workersStarted());
        }
    }

    @Test
    void closeIsIdempotentAndLaterMapsFail() {
        WorkerPool pool = WorkerPool.start(2, OPTIONS);
        pool.close();
        pool.close();
        List<TaskOutcome> outcomes = pool.mapOutcomes(TestTasks.Length.class, List.of("a"));
        assertEquals("the pool is closed", ((TaskOutcome.Failure) outcomes.getFirst()).reason());
    }
}
