package io.ferry.shm;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedMemorySpaceTest {
    @Test
    void docExample() {
        SharedMemorySpace space = SharedMemorySpace.now();
        assertTrue(space.toString().matches("/dev/shm has [0-9.]+ [KMGT]?i?B free of [0-9.]+ [KMGT]?i?B"), space.toString());
        assertEquals(Path.of("/dev/shm"), space.directory());
        assertTrue(0 <= space.free() && space.free() <= space.total(), space.toString());
    }

    @Test
    void exhaustedIsLessThanAMebibyteFree() {
        assertTrue(new SharedMemorySpace(Path.of("/dev/shm"), 0, 64L << 20).exhausted());
        assertTrue(new SharedMemorySpace(Path.of("/dev/shm"), 4096, 64L << 20).exhausted());
        assertFalse(new SharedMemorySpace(Path.of("/dev/shm"), 1L << 20, 64L << 20).exhausted());
        assertEquals("/dev/shm has 0 B free of 64 MiB", new SharedMemorySpace(Path.of("/dev/shm"), 0, 64L << 20).toString());
    }

    /// The JVM's words for SIGBUS on a mapped page (see TruncatedSegmentTest, which makes it happen).
    @Test
    void aPageFaultIsTheJvmsInternalErrorForSigbus() {
        assertTrue(SharedMemorySpace.isPageFault(new InternalError("a fault occurred in an unsafe memory access operation")));
        assertFalse(SharedMemorySpace.isPageFault(new InternalError("something else")));
        assertFalse(SharedMemorySpace.isPageFault(new IllegalStateException("a fault occurred in an unsafe memory access operation")));
    }
}
