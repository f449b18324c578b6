package io.ferry.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ferry.proc.TestWorkers.OPTIONS;
import static io.ferry.proc.TestWorkers.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class WorkerTest {
    @AfterEach
    void noChildProcessesLeft() throws InterruptedException {
        TestWorkers.assertNoChildProcessesLeft();
    }

    @Test
    void docExample() {
        try (Worker worker = Worker.start(TestTasks.Greeting.class, "ferry", OPTIONS)) {
            Object hello = worker.receive(Duration.ofSeconds(30)); // "hello ferry", sent by the task
            worker.send("done");                                   // the task is waiting for this reply
            Object result = worker.join(Duration.ofSeconds(30));   // "FERRY done"
            assertEquals("hello ferry", hello);
            assertEquals("FERRY done", result);
        }
        WorkerOptions small = WorkerOptions.DEFAULT.withJvmOptions(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"));
        assertEquals(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), small.jvmOptions());
    }

    @Test
    void messagesGoBothWays() {
        try (Worker worker = Worker.start(TestTasks.Echo.class, null, OPTIONS)) {
            worker.send("a");
            assertEquals("a", worker.receive(WAIT));
            Map<String, Object> handle = Map.of("name", "ferry_ab12", "shape", List.of(3L, 4L));
            worker.send(handle);
            assertEquals(handle, worker.receive(WAIT));
            assertThrows(ChannelTimeoutException.class, () -> worker.receive(Duration.ofMillis(100)));
            worker.send("bye");
            assertEquals(2L, worker.join(WAIT));
            assertEquals(0, worker.exitCode().orElseThrow());
            assertThrows(ChannelClosedException.class, () -> worker.receive(WAIT));
            assertThrows(ChannelClosedException.class, () -> worker.send("too late"));
        }
    }

    /// JSON `null` is a message like any other. (The parent's reader thread used to die of it, and
    /// the worker then never reported anything.)
    @Test
    void aNullMessageArrivesAsNull() {
        try (Worker worker = Worker.start(TestTasks.SendNull.class, null, OPTIONS)) {
            assertNull(worker.receive(WAIT));
            assertEquals("sent", worker.join(WAIT));
        }
    }

    @Test
    void taskGetsItsArguments() {
        try (Worker worker = Worker.start(TestTasks.Repeat.class, Map.of("word", "ab", "times", 3), OPTIONS)) {
            assertEquals(List.of("ab", "ab", "ab"), worker.join(WAIT));
        }
    }

    @Test
    void exitCodeIsReportedWithStderrTail() {
        try (Worker worker = Worker.start(TestTasks.Exit.class, 7, OPTIONS)) {
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> worker.join(WAIT));
            assertEquals(7, e.exitCode().orElseThrow());
            assertTrue(e.signal().isEmpty());
            assertEquals(0, e.inputIndex().orElseThrow());
            assertTrue(e.getMessage().startsWith("worker 'io.ferry.proc.TestTasks$Exit' (pid " + worker.pid()
                    + ") exited with code 7 while processing input 0 (7)"), e.getMessage());
            // The task printed with System.out: it went to stderr, not into the channel.
            assertEquals(List.of("about to exit with 7"), e.stderrTail());
            assertTrue(e.getMessage().endsWith("stderr tail (last 1 line):\n    about to exit with 7"), e.getMessage());
        }
    }

    @Test
    void taskExceptionComesBackWithStack() {
        try (Worker worker = Worker.start(TestTasks.Fail.class, "data3.txt", OPTIONS)) {
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> worker.join(WAIT));
            assertEquals(ChildMain.EXIT_TASK_FAILED, e.exitCode().orElseThrow());
            assertEquals("java.lang.IllegalStateException", e.errorType().orElseThrow());
            assertEquals("bad line 7 in data3.txt", e.errorMessage().orElseThrow());
            assertTrue(e.remoteStackTrace().orElseThrow().contains("at io.ferry.proc.TestTasks$Fail.run("));
            assertEquals("working on data3.txt", e.stderrTail().getFirst());
            String m = e.getMessage();
            assertTrue(m.startsWith("worker 'io.ferry.proc.TestTasks$Fail' (pid " + worker.pid() + ") exited with code 1"
                    + " while processing input 0 (\"data3.txt\"): java.lang.IllegalStateException: bad line 7 in data3.txt\n"
                    + "  remote stack:\n    java.lang.IllegalStateException: bad line 7 in data3.txt\n"), m);
            assertTrue(m.contains("\n  stderr tail (last 2 lines):\n    working on data3.txt\n"), m);
        }
    }

    @Test
    void killedChildIsReportedWithItsSignal() {
        try (Worker worker = Worker.start(TestTasks.Stall.class, null, OPTIONS)) {
            assertEquals(Map.of("pid", worker.pid()), worker.receive(WAIT));
            worker.kill();
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> worker.join(WAIT));
            assertEquals(137, e.exitCode().orElseThrow());
            assertEquals(9, e.signal().orElseThrow());
            assertTrue(e.getMessage().startsWith("worker 'io.ferry.proc.TestTasks$Stall' (pid " + worker.pid()
                    + ") was killed by signal 9 (SIGKILL) while processing input 0 (null)"), e.getMessage());
            // receive reports the death the same way once nothing is left to read.
            assertThrows(WorkerFailedException.class, () -> worker.receive(WAIT));
        }
    }

    @Test
    void printingCannotCorruptTheChannel() {
        try (Worker worker = Worker.start(TestTasks.Chatty.class, null, OPTIONS)) {
            assertEquals("ok", worker.join(WAIT));
            List<String> tail = worker.stderrTail();
            assertEquals("no newline at the end", tail.getLast());
            assertEquals("{\"type\": \"result\", \"seq\": 0, \"value\": \"raw fd 1\"}", tail.get(tail.size() - 2));
        }
    }

    @Test
    void stderrIsDrainedAndOnlyItsTailKept() {
        try (Worker worker = Worker.start(TestTasks.Flood.class, null, OPTIONS)) {
            assertEquals("flooded", worker.join(WAIT));
            List<String> tail = worker.stderrTail();
            assertEquals(OPTIONS.stderrTailLines(), tail.size());
            assertEquals("99999 " + "x".repeat(79), tail.get(tail.size() - 2));
            assertEquals("y".repeat(StderrTail.MAX_LINE_CHARS) + " …(line cut)", tail.getLast());
        }
    }

    @Test
    void jvmThatCannotStartIsReportedWithItsWords() {
        try (Worker worker = Worker.start(TestTasks.Echo.class, null, OPTIONS.withJvmOptions(List.of("-XX:+NoSuchFlag")))) {
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> worker.join(WAIT));
            assertEquals(1, e.exitCode().orElseThrow());
            assertTrue(e.stderrTail().stream().anyMatch(l -> l.contains("Unrecognized VM option 'NoSuchFlag'")), e.getMessage());
        }
    }

    @Test
    void unknownTaskClassFailsInTheChild() {
        try (Worker worker = Worker.start("io.ferry.proc.NoSuchTask", List.of(1, 2), OPTIONS)) {
            WorkerFailedException e = assertThrows(WorkerFailedException.class, () -> worker.join(WAIT));
            assertEquals("java.lang.ClassNotFoundException", e.errorType().orElseThrow());
            assertEquals(List.of(1, 2), e.input().orElseThrow()); // as given, not as JSON returns it
        }
    }

    @Test
    void badTasksAndInputsAreRefusedBeforeAnyJvmStarts() {
        assertThrows(IllegalArgumentException.class, () -> Worker.start(TestTasks.Echo.class, new Object(), OPTIONS));
        assertThrows(IllegalArgumentException.class, () -> Worker.start(PrivateTask.class, null, OPTIONS));
        assertFalse(ProcessHandle.current().descendants().findAny().isPresent());
    }

    @Test
    void closeStopsAStuckChildAndIsIdempotent() {
        Worker worker = Worker.start(TestTasks.Stall.class, null, OPTIONS.withStopTimeout(Duration.ofMillis(200)));
        assertEquals(Map.of("pid", worker.pid()), worker.receive(WAIT));
        long t0 = System.nanoTime();
        worker.close();
        worker.close();
        assertFalse(worker.isAlive());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
        assertThrows(ChannelClosedException.class, () -> worker.send("late"));
        assertThrows(ChannelClosedException.class, () -> worker.receive(WAIT));
    }

    static final class PrivateTask implements WorkerTask {
        @Override
        public Object run(Object input, Channel channel) {
            return null;
        }
    }
}
