package io.ferry.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ferry.json.Json;
import io.ferry.testing.Processes;

import static io.ferry.proc.TestWorkers.OPTIONS;
import static io.ferry.proc.TestWorkers.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// A child never outlives its parent: kill -9 an intermediate parent JVM, and its own child (our
/// grandchild) must exit by itself within 2 s.
@org.junit.jupiter.api.Tag("process")
class ParentDeathTest {
    @AfterEach
    void noChildProcessesLeft() throws InterruptedException {
        TestWorkers.assertNoChildProcessesLeft();
    }

    @Test
    void grandchildExitsWhenItsParentIsKilled() throws Exception {
        long grandchildPid;
        try (Worker parent = Worker.start(TestTasks.SpawnGrandchild.class, null, OPTIONS)) {
            Map<String, Object> report = Json.asObject(parent.receive(WAIT), "the report");
            grandchildPid = Json.asLong(report.get("grandchild"), "grandchild");
            assertEquals(Map.of("pid", grandchildPid), report.get("hello"));
            ProcessHandle grandchild = ProcessHandle.of(grandchildPid).orElseThrow();
            assertTrue(grandchild.isAlive());

            parent.kill();
            long killed = System.nanoTime();
            // The grandchild is not ours (it was re-parented), so onExit polls slowly; poll ourselves.
            while (Processes.isRunning(grandchildPid)) {
                if (System.nanoTime() - killed > Duration.ofSeconds(2).toNanos()) {
                    grandchild.destroyForcibly();
                    fail("grandchild " + grandchildPid + " outlived its killed parent by 2 s");
                }
                Thread.sleep(10);
            }
            long exitedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.err.println("grandchild exited " + exitedAfterMillis + " ms after its parent was killed");
            assertEquals(137, parent.exitCode().orElseGet(() -> {
                try {
                    return parent.join(WAIT) == null ? -1 : -2;
                } catch (WorkerFailedException e) {
                    return e.exitCode().orElse(-3);
                }
            }));
        }
        assertFalse(Processes.isRunning(grandchildPid));
    }

    /// The other way a child notices: its parent's pid is polled. Here the channel stays open (this
    /// JVM holds it) while the process named as parent, a `sleep`, is killed.
    @Test
    void childExitsWhenTheParentPidIsGoneEvenWithItsChannelOpen() throws Exception {
        Process fakeParent = new ProcessBuilder("sleep", "60").start();
        List<String> command = new ArrayList<>(List.of(OPTIONS.javaCommand().toString()));
        command.addAll(OPTIONS.jvmOptions());
        command.addAll(List.of("-cp", OPTIONS.classPath(), ChildMain.class.getName(), "loop",
                Long.toString(fakeParent.pid())));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertFalse(child.waitFor(1, TimeUnit.SECONDS), "the child runs while its parent does");
            fakeParent.destroyForcibly().waitFor();
            long killed = System.nanoTime();
            assertTrue(child.waitFor(2, TimeUnit.SECONDS), "the child outlived its parent by 2 s");
            System.err.println("child exited " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed)
                    + " ms after the process named as its parent was killed");
            assertEquals(ChildMain.EXIT_PARENT_GONE, child.exitValue());
            String said = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(said.contains("the parent process " + fakeParent.pid() + " is gone; exiting"), said);
        } finally {
            child.destroyForcibly().waitFor();
            fakeParent.destroyForcibly().waitFor();
        }
    }
}
