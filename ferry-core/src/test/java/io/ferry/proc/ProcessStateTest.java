package io.ferry.proc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.ferry.proc.TestWorkers.OPTIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class ProcessStateTest {
    @AfterEach
    void noChildProcessesLeft() throws InterruptedException {
        TestWorkers.assertNoChildProcessesLeft();
    }

    @Test
    void docExample() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            assertFalse(ProcessState.of(sleeper.pid()).orElseThrow().stopped());
            new ProcessBuilder("kill", "-STOP", Long.toString(sleeper.pid())).start().waitFor();
            // kill(2) only queues the signal: the process stops when the kernel next schedules it,
            // which on a loaded machine can be a while after `kill` returns.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!ProcessState.of(sleeper.pid()).orElseThrow().stopped() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(ProcessState.of(sleeper.pid()).orElseThrow().stopped());
            assertEquals("T (stopped by SIGSTOP or SIGTSTP)", ProcessState.of(sleeper.pid()).orElseThrow().toString());
        } finally {
            sleeper.destroyForcibly();   // SIGKILL ends a stopped process too
            sleeper.waitFor();
        }
        assertTrue(ProcessState.of(sleeper.pid()).isEmpty(), "no state once it is gone and reaped");
    }

    /// A JVM's own line in `/proc/<pid>/stat` is its launcher thread's, asleep whatever the JVM
    /// does: the threads tell that it runs.
    @Test
    void aBusyJvmRunsThoughItsFirstThreadSleeps() throws Exception {
        try (Worker w = Worker.start(TestTasks.Spin.class, 30_000L, OPTIONS)) {
            assertEquals("spinning", w.receive(Duration.ofSeconds(30)));
            String own = Files.readString(Path.of("/proc/" + w.pid() + "/stat"));
            assertEquals('S', own.charAt(own.lastIndexOf(')') + 2));
            assertEquals('R', w.state().orElseThrow().code());
            w.kill();
        }
    }
}
