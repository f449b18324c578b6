package io.ferry.hdf5.deflate;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertTrue;

/// The examples in the public doc comments, compiled and run as they are written there.
class DocExamplesTest {
    @Test
    void deflateLibrary() {
        assert DeflateLibrary.JAVA.resolve() == DeflateLibrary.JAVA;
        assert DeflateLibrary.AUTO.resolve() != DeflateLibrary.AUTO;
        assert DeflateLibrary.AUTO.resolveFastest() != DeflateLibrary.AUTO;
        assert DeflateLibrary.JAVA.available() && DeflateLibrary.JAVA.problem().isEmpty();
        assertTrue(DeflateLibrary.AUTO.resolveFastest() != DeflateLibrary.AUTO);
    }

    @Test
    void chunkDeflater() {
        long[] written = new long[1];

        ChunkDeflater d = ChunkDeflater.open(DeflateLibrary.JAVA, 4);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(1 << 20);            // a chunk of zeros
            MemorySegment out = arena.allocate(d.bound(chunk.byteSize()));
            long n = d.deflate(chunk, out);
            assert n > 0 && n < 2048;
            written[0] = n;
        } finally {
            d.close();
        }
        assertTrue(written[0] > 0 && written[0] < 2048, "deflated 1 MiB of zeros into " + written[0] + " bytes");
    }
}
