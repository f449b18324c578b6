package io.ferry.shm;

import io.ferry.libc.Libc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A segment made with its pages on touch and reserved part by part ([SharedSegment#reserve]), or
/// filled through its file ([SharedSegment#write]), on a real tmpfs of 8 MiB that the test mounts:
/// the parts are there to write when reserved, and a tmpfs that filled up in between is a
/// [SharedMemoryFullException], never a SIGBUS.
/// Mounting needs root: skipped elsewhere, saying so; CI runs as root.
@org.junit.jupiter.api.Tag("process")
class ReserveOnTouchTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    private boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted || System.getenv("CI") != null, () -> "cannot mount a tmpfs here (needs root): " + said);
        assertTrue(mounted, "CI runs as root and must mount a tmpfs: " + said);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void reservedPartsAreThereAndAFullTmpfsIsAClearError() throws IOException {
        DevShm shm = new DevShm(dir);
        try (Arena arena = Arena.ofShared()) {
            NamedMemory.Mapping m = shm.create("fyreserve_test", 6 * MIB, false, arena);
            SharedSegment s = new SharedSegment(m, arena, shm, null);
            s.reserve(0, 2 * MIB);                                  // the first part: there
            assertEquals(2 * MIB, allocatedBytes(dir.resolve("fyreserve_test")), "its pages are allocated");
            s.memory().set(ValueLayout.JAVA_LONG, 2 * MIB - 8, 42L);
            Files.write(dir.resolve("filler"), new byte[(int) (5 * MIB)]); // someone else fills the tmpfs
            assertNotEquals(0, Libc.populateWrite(s.memory().asSlice(2 * MIB, 4 * MIB)),
                    "the kernel says the pages cannot be had");
            SharedMemoryFullException e = assertThrows(SharedMemoryFullException.class, () -> s.reserve(2 * MIB, 4 * MIB));
            assertTrue(e.getMessage().contains("fyreserve_test") && e.getMessage().contains("left"), e.getMessage());
            assertEquals(42L, s.memory().get(ValueLayout.JAVA_LONG, 2 * MIB - 8), "the reserved part is untouched");
        }
    }

    /// Rows written through the file ([SharedSegment#write], as a load into shared memory writes
    /// them) allocate just their pages, are in the mapping at once, and a tmpfs that fills up is a
    /// [SharedMemoryFullException], with what was written before it still there.
    @Test
    void writesThroughTheFileTakeTheirPagesAndAFullTmpfsIsAClearError() throws IOException {
        DevShm shm = new DevShm(dir);
        Arena arena = Arena.ofShared();
        NamedMemory.Mapping m = shm.create("fywrite_test", 6 * MIB, false, arena);
        try (SharedSegment s = new SharedSegment(m, arena, shm, null)) { // closes the file it wrote through, and unmaps
            byte[] rows = new byte[(int) MIB];
            java.util.Arrays.fill(rows, (byte) 7);
            rows[0] = 1;
            s.write(MIB, rows, 0, rows.length);
            assertEquals(MIB, allocatedBytes(dir.resolve("fywrite_test")), "the pages written, no more");
            assertEquals(1, s.memory().get(ValueLayout.JAVA_BYTE, MIB));
            assertEquals(7, s.memory().get(ValueLayout.JAVA_BYTE, 2 * MIB - 1));
            assertEquals(0, s.memory().get(ValueLayout.JAVA_BYTE, 2 * MIB), "past the write: a hole, read as zeros");
            assertThrows(IndexOutOfBoundsException.class, () -> s.write(6 * MIB - 8, rows, 0, 16));
            Files.write(dir.resolve("filler"), new byte[(int) (6 * MIB)]); // someone else fills the tmpfs
            byte[] more = new byte[(int) (2 * MIB)];
            SharedMemoryFullException e = assertThrows(SharedMemoryFullException.class, () -> s.write(3 * MIB, more, 0, more.length));
            assertTrue(e.getMessage().contains("fywrite_test") && e.getMessage().contains(" free of 8.0 MiB"), e.getMessage());
            assertEquals(1, s.memory().get(ValueLayout.JAVA_BYTE, MIB), "what was written stays");
        }
    }

    /// {@return the bytes of `file` that have pages}: `du`'s count, in bytes
    private static long allocatedBytes(Path file) throws IOException {
        return ((Number) Files.getAttribute(file, "unix:size")).longValue() > 0
                ? Long.parseLong(run("du", "-B1", file.toString()).split("\\s+")[0]) : 0;
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
