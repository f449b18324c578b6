package io.ferry.hdf5;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// What a killed writer leaves beside its target is removed by the next sink for that target, and
/// nothing else is.
class TemporaryFileTest {
    @TempDir
    Path dir;

    @Test
    void aNewSinkRemovesWhatADeadWriterOfItsTargetLeft() throws Exception {
        Path target = dir.resolve("out.h5");
        long dead = deadPid();
        Path stale = Files.createFile(withPid(TemporaryFile.forTarget(target), dead));
        Path live = Files.createFile(TemporaryFile.forTarget(target)); // ours: alive
        Path otherHost = Files.createFile(dir.resolve(".out.h5.0-" + Long.toHexString(dead) + "-1.ferry-tmp"));
        Path otherTarget = Files.createFile(withPid(TemporaryFile.forTarget(dir.resolve("other.h5")), dead));
        Path notOurs = Files.createFile(dir.resolve(".out.h5.notes.ferry-tmp"));

        try (Hdf5Sink sink = Hdf5Sink.create(target, SinkOptions.builder().build())) {
            assertFalse(Files.exists(stale), "a dead writer's temporary file is removed");
            assertTrue(Files.exists(sink.temporaryFile()));
        }
        for (Path kept : List.of(live, otherHost, otherTarget, notOurs)) {
            assertTrue(Files.exists(kept), kept + " is kept");
        }
    }

    @Test
    void readsThePidOnlyFromTagsOfThisHost() {
        Path name = TemporaryFile.forTarget(dir.resolve("x.h5")).getFileName();
        String tag = name.toString().substring(".x.h5.".length(), name.toString().length() - ".ferry-tmp".length());
        assertEquals(ProcessHandle.current().pid(), TemporaryFile.pidOf(tag));
        assertEquals(-1, TemporaryFile.pidOf("0-" + Long.toHexString(ProcessHandle.current().pid()) + "-1"));
        assertEquals(-1, TemporaryFile.pidOf("notes"));
    }

    /// {@return the pid of a process that has exited}
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    /// {@return `temp` with `pid` in place of this process's}
    private static Path withPid(Path temp, long pid) {
        String name = temp.getFileName().toString();
        String ours = "-" + Long.toHexString(ProcessHandle.current().pid()) + "-";
        return temp.resolveSibling(name.replace(ours, "-" + Long.toHexString(pid) + "-"));
    }
}
