package io.ferry.shm;

import io.ferry.testing.ShmLeakCheck;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ShmLeakCheck.class)
@org.junit.jupiter.api.Tag("process")
class SharedSegmentTest {
    private static final Path DEV_SHM = Path.of("/dev/shm");

    @Test
    void docExample() {
        try (SharedSegment mine = SharedSegment.create(1 << 20)) {
            mine.memory().set(ValueLayout.JAVA_LONG, 0, 42L);
            try (SharedSegment view = SharedSegment.attach(mine.name())) {
                mine.unlink();
                assertEquals(42L, view.memory().get(ValueLayout.JAVA_LONG, 0));
            }
        }
    }

    @Test
    void createIsExclusivePrivateAndAttachSeesTheSameMemory() throws Exception {
        try (SharedSegment s = SharedSegment.create(10_000)) {
            Path p = DEV_SHM.resolve(s.name());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            assertEquals(10_000, Files.size(p));
            assertEquals(Ownership.OWNER, s.ownership());
            assertThrows(SegmentExistsException.class, () -> SharedSegment.create(s.name(), 10));
            try (SharedSegment v = SharedSegment.attach("/" + s.name(), 10_000)) {
                assertEquals(Ownership.VIEW, v.ownership());
                assertEquals(s.name(), v.name());
                s.memory().set(ValueLayout.JAVA_INT_UNALIGNED, 9_996, 0x1234_5678);
                assertEquals(0x1234_5678, v.memory().get(ValueLayout.JAVA_INT_UNALIGNED, 9_996));
                // a shared arena: other threads use it too
                assertEquals(0x1234_5678, CompletableFuture.supplyAsync(
                        () -> v.memory().get(ValueLayout.JAVA_INT_UNALIGNED, 9_996)).get());
            }
            assertTrue(Files.exists(p), "closing a view leaves the name");
        }
    }

    /// Scratch segments (a conversion's slots) cost only the pages used: created at full size, with
    /// next to nothing allocated until touched; reserved ones have every page at once.
    @Test
    void anOwnerCutsItsSegmentAndViewsMapOnlyWhatIsLeft() throws Exception {
        try (SegmentRegistry registry = SegmentRegistry.open("truncate test");
             SharedSegment s = registry.createOnTouch(8L << 20)) {
            s.memory().set(ValueLayout.JAVA_LONG, 0, 42L);
            try (SharedSegment view = SharedSegment.attach(s.name())) {
                assertThrows(IllegalStateException.class, () -> view.truncate(8), "a view cannot cut it");
            }
            assertThrows(IllegalArgumentException.class, () -> s.truncate(0));
            assertThrows(IllegalArgumentException.class, () -> s.truncate((8L << 20) + 1));
            assertEquals(4096, s.truncate(4096).byteSize());
            assertEquals(4096, s.memory().byteSize());
            assertEquals(4096, Files.size(DEV_SHM.resolve(s.name())));
            try (SharedSegment view = SharedSegment.attach(s.name())) {
                assertEquals(4096, view.byteSize());
                assertEquals(42L, view.memory().get(ValueLayout.JAVA_LONG, 0));
            }
        }
    }

    @Test
    void createOnTouchAllocatesOnlyWhatIsTouched() throws Exception {
        long size = 64L << 20;
        try (SegmentRegistry registry = SegmentRegistry.open("on-touch test");
             SharedSegment lazy = registry.createOnTouch(size);
             SharedSegment reserved = registry.create(size)) {
            Path lazyFile = Path.of("/dev/shm", lazy.name());
            assertEquals(size, Files.size(lazyFile));
            assertTrue(allocatedBytes(lazyFile) < (1L << 20), "untouched pages are not allocated");
            assertEquals(size, allocatedBytes(Path.of("/dev/shm", reserved.name())));
            lazy.memory().set(ValueLayout.JAVA_LONG, size - 8, 42L);
            try (SharedSegment view = SharedSegment.attach(lazy.name(), size)) {
                assertEquals(42L, view.memory().get(ValueLayout.JAVA_LONG, size - 8));
            }
            long touched = allocatedBytes(lazyFile);
            assertTrue(touched > 0 && touched < (1L << 20), "one page touched, one allocated: " + touched);
        }
    }

    private static long allocatedBytes(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String[] out = new String(p.getInputStream().readAllBytes()).strip().split(" ");
        assertEquals(0, p.waitFor(), String.join(" ", out));
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    @Test
    void closeAndUnlinkAreIdempotentInAnyOrder() {
        SharedSegment a = SharedSegment.create(64);
        String name = a.name();
        a.unlink();
        a.unlink();
        assertFalse(ShmLeakCheck.exists(name));
        a.memory().set(ValueLayout.JAVA_BYTE, 0, (byte) 1);   // the mapping outlives the name
        a.close();
        a.close();
        a.unlink();

        SharedSegment b = SharedSegment.create(64);
        b.close();
        assertFalse(ShmLeakCheck.exists(b.name()), "an owner's close unlinks");
        b.unlink();
    }

    @Test
    void useAfterCloseThrowsInsteadOfCrashing() {
        SharedSegment s = SharedSegment.create(4096);
        SharedSegment v = SharedSegment.attach(s.name());
        s.close();
        v.memory().set(ValueLayout.JAVA_INT, 0, 7);             // still mapped in the view
        v.close();
        assertThrows(IllegalStateException.class, () -> v.memory().get(ValueLayout.JAVA_INT, 0));
        assertThrows(IllegalStateException.class, () -> s.memory().set(ValueLayout.JAVA_INT, 0, 1));
        assertTrue(s.isClosed() && s.isUnlinked());
    }

    @Test
    void attachNamesTheSegmentAndTheProblem() {
        String missing = SegmentName.random();
        SegmentNotFoundException nf = assertThrows(SegmentNotFoundException.class, () -> SharedSegment.attach(missing));
        assertTrue(nf.getMessage().contains("'" + missing + "'") && nf.getMessage().contains("does not exist"), nf.getMessage());

        try (SharedSegment s = SharedSegment.create(100)) {
            SegmentTooSmallException small = assertThrows(SegmentTooSmallException.class, () -> SharedSegment.attach(s.name(), 101));
            assertTrue(small.getMessage().contains(s.name()) && small.getMessage().contains("100 bytes")
                    && small.getMessage().contains("101"), small.getMessage());
        }
        assertThrows(InvalidSegmentNameException.class, () -> SharedSegment.attach("../etc/passwd"));
        assertThrows(InvalidSegmentNameException.class, () -> SharedSegment.create("a/b", 1));
        assertThrows(IllegalArgumentException.class, () -> SharedSegment.create(0));
    }

    @Test
    void attachRefusesAnotherUsersSegmentAndNonFiles() throws Exception {
        String name = SegmentName.random();
        Path p = Files.createFile(DEV_SHM.resolve(name));
        try {
            Files.write(p, new byte[16]);
            try {
                Files.setAttribute(p, "unix:uid", 65534);   // nobody
            } catch (java.io.IOException e) {
                Assumptions.abort("needs root to give a file to another user: " + e);
            }
            ForeignSegmentException e = assertThrows(ForeignSegmentException.class, () -> SharedSegment.attach(name));
            assertTrue(e.getMessage().contains(name) && e.getMessage().contains("65534"), e.getMessage());
        } finally {
            Files.deleteIfExists(p);
        }
        String link = SegmentName.random();
        Path l = Files.createSymbolicLink(DEV_SHM.resolve(link), Path.of("/etc/hostname"));
        try {
            assertThrows(ForeignSegmentException.class, () -> SharedSegment.attach(link));
        } finally {
            Files.deleteIfExists(l);
        }
    }

    @Test
    void aSizeBeyondTheFreeSpaceIsAClearErrorAtCreate() throws Exception {
        long free = Files.getFileStore(DEV_SHM).getUsableSpace();
        long ask = free + (1L << 30);
        int before = ShmLeakCheck.snapshot().size();
        SharedMemoryFullException e = assertThrows(SharedMemoryFullException.class, () -> SharedSegment.create(ask));
        assertEquals(ask, e.requested());
        assertTrue(e.getMessage().contains("asked for") && e.getMessage().contains(ask + " bytes")
                && e.getMessage().contains("left"), e.getMessage());
        assertTrue(e.available() > 0 && e.available() < ask);
        assertEquals(before, ShmLeakCheck.snapshot().size(), "nothing is left of a failed create");
    }

    @Test
    void segmentsBeyondTwoGiBAreReservedAndAddressable() throws Exception {
        long size = (2L << 30) + 8192;
        long freeBefore = Files.getFileStore(DEV_SHM).getUsableSpace();
        Assumptions.assumeTrue(freeBefore > size + (1L << 30), "needs " + size + " bytes free in /dev/shm");
        try (SharedSegment s = SharedSegment.create(size)) {
            long freeAfter = Files.getFileStore(DEV_SHM).getUsableSpace();
            assertTrue(freeBefore - freeAfter >= size / 2, "pages are reserved at create: " + freeBefore + " -> " + freeAfter);
            assertEquals(size, s.byteSize());
            s.memory().set(ValueLayout.JAVA_LONG, size - 8, 0x0123_4567_89ab_cdefL);
            s.memory().set(ValueLayout.JAVA_LONG, (1L << 31) + 16, -5L);
            try (SharedSegment v = SharedSegment.attach(s.name(), size)) {
                assertEquals(0x0123_4567_89ab_cdefL, v.memory().get(ValueLayout.JAVA_LONG, size - 8));
                assertEquals(-5L, v.memory().get(ValueLayout.JAVA_LONG, (1L << 31) + 16));
            }
        }
    }

    @Test
    void ownershipCanBeHandedOver() {
        SharedSegment creator = SharedSegment.create(128);
        String name = creator.name();
        creator.memory().set(ValueLayout.JAVA_INT, 0, 99);
        creator.disown().close();
        assertTrue(ShmLeakCheck.exists(name), "a disowned segment stays for its new owner");
        assertFalse(SegmentRegistry.process().outstanding().contains(name));
        try (SharedSegment taker = SharedSegment.attach(name, 4, Ownership.OWNER)) {
            assertEquals(Ownership.OWNER, taker.ownership());
            assertTrue(SegmentRegistry.process().outstanding().contains(name));
            assertEquals(99, taker.memory().get(ValueLayout.JAVA_INT, 0));
        }
        assertFalse(ShmLeakCheck.exists(name), "the new owner unlinked it on close");
        assertFalse(SegmentRegistry.process().outstanding().contains(name));
    }

    @Test
    void aRegistryNamesTheSegmentsNeverReleased() {
        SegmentRegistry run = SegmentRegistry.open("test run");
        SharedSegment released = run.create(64);
        SharedSegment leaked = run.create(64);
        released.close();
        assertEquals(java.util.List.of(leaked.name()), run.outstanding());
        assertTrue(SegmentRegistry.process().outstanding().contains(leaked.name()));
        SegmentLeakException e = assertThrows(SegmentLeakException.class, run::close);
        assertEquals(java.util.List.of(leaked.name()), e.names());
        assertTrue(e.getMessage().contains("test run") && e.getMessage().contains(leaked.name()), e.getMessage());
        assertFalse(ShmLeakCheck.exists(leaked.name()), "closing the registry unlinked the leak");
        assertFalse(SegmentRegistry.process().outstanding().contains(leaked.name()));
        assertThrows(IllegalStateException.class, () -> run.create(1));
        run.close();   // nothing outstanding any more
    }

    @Test
    void registryDocExample() {
        try (SegmentRegistry run = SegmentRegistry.open("my run")) {
            SharedSegment s = run.create(4096);
            s.memory().set(ValueLayout.JAVA_INT, 0, 42);
            s.close();
            assertTrue(run.outstanding().isEmpty());
        }
    }

    /// A name removed by another party and made again names another segment: the first owner's
    /// close must not remove it (it used to remove whatever had the name).
    @Test
    void anOwnerRemovesOnlyTheSegmentItMapped() throws Exception {
        SharedSegment s = SharedSegment.create(64);
        Path p = DEV_SHM.resolve(s.name());
        try {
            Files.delete(p);                                   // another party unlinked it
            Files.write(p, new byte[8]);                       // and someone made a new one of that name
            s.close();
            assertTrue(Files.exists(p), "the new segment stays");
            assertEquals(8, Files.size(p));
            assertTrue(s.isUnlinked() && SegmentRegistry.process().outstanding().isEmpty(), "the owner is done with its own");
        } finally {
            Files.deleteIfExists(p);
        }
    }

    @Test
    void thisProcessLeavesACreatorRecordForTheSweep() throws Exception {
        try (SharedSegment s = SharedSegment.create(8)) {
            long pid = ProcessHandle.current().pid();
            CreatorTag tag = SegmentName.creatorTag(s.name()).orElseThrow();
            assertEquals(pid, tag.pid());
            String record = Files.readString(DEV_SHM.resolve(tag.recordName()));
            assertTrue(record.matches("pid=" + pid + " start=\\d+ pidns=pid:\\[\\d+]\\n"), record);
            assertEquals(CreatorState.RUNNING, CreatorTags.creator(DEV_SHM, tag));
            assertTrue(s.toString().contains(s.name()));
        }
    }

    @Test
    void threadsCreateAndReleaseConcurrently() throws Exception {
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        try (SharedSegment s = SharedSegment.create(4096);
                             SharedSegment v = SharedSegment.attach(s.name())) {
                            s.memory().set(ValueLayout.JAVA_INT, 0, i);
                            assertEquals(i, v.memory().get(ValueLayout.JAVA_INT, 0));
                        }
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                f.get();
            }
        }
    }

    @Test
    void otherSystemsFailWithAClearError() {
        NamedMemory mac = new UnsupportedNamedMemory("Mac OS X");
        SharedMemoryException e = assertThrows(SharedMemoryException.class,
                () -> mac.create("fy1_abcdef", 10, java.lang.foreign.Arena.ofAuto()));
        assertTrue(e.getMessage().contains("'fy1_abcdef'") && e.getMessage().contains("Linux")
                && e.getMessage().contains("Mac OS X"), e.getMessage());
    }
}
