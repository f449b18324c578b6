package io.ferry.cli;

import io.ferry.dtype.DType;
import io.ferry.shm.SharedArray;
import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// `ferry attach` reads a handle (a few hundred bytes) from a file, a pipe or standard input, and
/// reads no more than a handle's bound: an endless stream (`/dev/zero`) or a wrong file is refused
/// at once, saying the bound, where it used to run for ever or die of an `OutOfMemoryError`. Each
/// run is a JVM of its own with a time limit.
@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class AttachCommandTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aDeviceAsTheHandleFileIsRefusedAtOnce() throws Exception {
        try (FerryJvm ferry = FerryJvm.start("attach", "/dev/zero")) {
            ferry.assertExitsWithin(LIMIT);
            assertEquals(1, ferry.exitCode(), ferry.output());
            assertEquals("ferry attach: /dev/zero: is a character device, not a file holding a handle; give the handle"
                    + " JSON itself, a file holding it, or - for standard input\n", ferry.output());
        }
    }

    @Test
    void endlessStandardInputIsReadUpToTheBound() throws Exception {
        try (FerryJvm ferry = FerryJvm.startInShell("exec </dev/zero", "attach", "-")) {
            ferry.assertExitsWithin(LIMIT);
            assertEquals(1, ferry.exitCode(), ferry.output());
            assertEquals("ferry attach: standard input: holds more than 64 KiB, the most a handle takes; a handle is a"
                    + " few hundred bytes of JSON ({\"name\": …, \"shape\": […], \"dtype\": …}): is it the right file?\n",
                    ferry.output());
        }
    }

    @Test
    void aLargeFileIsRefusedWithTheBound() throws Exception {
        Path big = Files.write(dir.resolve("big.json"), new byte[1 << 20]);
        try (FerryJvm ferry = FerryJvm.start("attach", big.toString())) {
            ferry.assertExitsWithin(LIMIT);
            assertEquals(1, ferry.exitCode(), ferry.output());
            assertTrue(ferry.output().startsWith("ferry attach: " + big + ": holds more than 64 KiB"), ferry.output());
            assertEquals(1, ferry.output().strip().lines().count(), ferry.output());
        }
    }

    /// A named pipe (what `<(…)` gives) is read as standard input is: a handle through it attaches.
    @Test
    void aHandleThroughANamedPipeAttaches() throws Exception {
        Path fifo = dir.resolve("handle.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (SharedArray shared = SharedArray.create(DType.parse("<i8"), 3)) {
            shared.array().setLong(1, 42);
            try (FerryJvm ferry = FerryJvm.start("attach", fifo.toString())) {
                try (OutputStream w = Files.newOutputStream(fifo)) { // waits for ferry to open it
                    w.write(shared.handleJson().getBytes(StandardCharsets.UTF_8));
                }
                ferry.assertExitsWithin(LIMIT);
                assertEquals(0, ferry.exitCode(), ferry.output());
                assertTrue(ferry.output().contains("shape    (3,)"), ferry.output());
                assertTrue(ferry.output().contains("42"), ferry.output());
                assertEquals(Set.of(), ferry.shmLeftovers());
            }
        }
    }

    @Test
    void aMissingHandleFileSaysHowToGiveOne() throws Exception {
        ShmCommandsTest.Run r = ShmCommandsTest.ferry("attach", dir.resolve("nope.json").toString());
        assertEquals(1, r.exit());
        assertEquals("ferry attach: " + dir.resolve("nope.json") + ": no such file; give the handle JSON itself, a file"
                + " holding it, or - for standard input\n", r.err());
        assertFalse(r.err().contains("Exception"));
    }
}
