package io.ferry.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@org.junit.jupiter.api.Tag("process")
class ProcessTreeMemoryTest {
    @Test
    void findsGrandchildren() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "sh -c 'sleep 5' & sleep 5; wait").start();
        try {
            List<Long> tree = List.of();
            for (int i = 0; i < 100 && tree.size() < 4; i++) {
                Thread.sleep(20);
                tree = ProcessTreeMemory.tree(p.pid());
            }
            assertEquals(4, tree.size(), "sh, sleep, sh -c, its sleep: " + tree);
            assertEquals(p.pid(), tree.getFirst());
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void measuresARunsTreeAndItsCpu(@TempDir Path dir) throws Exception {
        // a child that allocates and touches ~64 MiB, under a shell
        CommandRun run = CommandRun.run(List.of("/bin/sh", "-c",
                        "head -c 67108864 /dev/zero | tail -c 1 > /dev/null; sleep 0.3"),
                dir, dir.resolve("log"), 10, 60);
        assertEquals(0, run.exitCode());
        assertTrue(run.samples() >= 5, "samples " + run.samples());
        assertTrue(run.peakProcesses() >= 1);
        assertTrue(run.peakMemoryBytes() > 0);
        assertTrue(run.peakRssSumBytes() >= run.peakPssBytes());
        assertTrue(run.wallNanos() >= 300_000_000L);
    }

    @Test
    void reportsAFailureWithItsMessage(@TempDir Path dir) throws Exception {
        CommandRun run = CommandRun.run(List.of("/bin/sh", "-c", "echo 'Unknown option: --x' >&2; echo usage >&2; echo more >&2; exit 2"),
                dir, dir.resolve("log"), 20, 60);
        assertEquals(2, run.exitCode());
        assertEquals("Unknown option: --x | … | more", CommandRun.summary(run.stderr()));
    }
}
