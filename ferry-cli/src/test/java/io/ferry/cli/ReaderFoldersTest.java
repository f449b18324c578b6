package io.ferry.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The crash-log folder of a reading (`ferry inspect`, `stitch`) that `kill -9` ended stayed in
/// the temporary directory for good, one a run; a later reading removes those of processes gone,
/// and leaves a running process's.
class ReaderFoldersTest {
    @Test
    void aReadingRemovesTheFoldersOfProcessesGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path left = Files.createDirectory(tmp.resolve(ReaderJvm.PREFIX + gone.pid() + "-test" + System.nanoTime()));
        Files.writeString(left.resolve("hs_err_pid1.log"), "a crash log\n");
        Path running = Files.createDirectory(tmp.resolve(ReaderJvm.PREFIX + ProcessHandle.current().pid() + "-test" + System.nanoTime()));
        Path notOurs = Files.createDirectory(tmp.resolve(ReaderJvm.PREFIX + "notapid-test" + System.nanoTime()));
        try {
            ReaderJvm.sweepGone();
            assertFalse(Files.exists(left), "the folder of a process gone, with what it held");
            assertTrue(Files.isDirectory(running), "a running process's folder stays");
            assertTrue(Files.isDirectory(notOurs), "a name without a pid stays");
        } finally {
            Files.deleteIfExists(running);
            Files.deleteIfExists(notOurs);
        }
    }
}
