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

class ProcessStateTest {
    @AfterEach
    void noChildProcessesLeft() throws InterruptedException {
        TestWorkers.assertNoChildProcessesLeft();
    }

    @Test
    void docExample() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        assertFalse(ProcessState.of(sleeper.pid()).orElseThrow().stopped());
        new ProcessBuilder("kill", "-STOP", Long.toString(sleeper.pid())).start().waitFor();
        assertTrue(ProcessState.of(sleeper.pid()).orElseThrow().stopped());
        assertEquals("T (stopped by SIGSTOP or SIGTSTP)", ProcessState.of(sleeper.pid()).orElseThrow().toString());
        sleeper.destroyForcibly();   // SIGKILL ends a stopped process too
        sleeper.waitFor();
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
