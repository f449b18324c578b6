package io.ferry.hdf5.deflate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;

import static io.ferry.hdf5.deflate.DeflateLibraries.inflate;
import static io.ferry.hdf5.deflate.DeflateLibraries.recordLike;
import static io.ferry.hdf5.deflate.DeflateLibraries.require;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Every deflater writes zlib streams that the JDK's zlib (`Inflater`) restores byte for byte.
class ChunkDeflaterTest {
    @ParameterizedTest(name = "{0} level {1}")
    @CsvSource({"JAVA, 1", "JAVA, 4", "JAVA, 9", "LIBDEFLATE, 1", "LIBDEFLATE, 4", "LIBDEFLATE, 9", "ISAL, 1"})
    void streamsInflateWithJavaUtilZipToTheSameBytes(DeflateLibrary library, int level) throws DataFormatException {
        require(library);
        byte[] random = new byte[100_000];
        new SplittableRandom(level).nextBytes(random);
        try (Arena arena = Arena.ofConfined()) {
            for (byte[] data : new byte[][] {recordLike(26 * 4000, level), random, new byte[65536], new byte[1], new byte[0]}) {
                ChunkDeflater d = ChunkDeflater.open(library, level);
                try {
                    MemorySegment in = arena.allocate(Math.max(1, data.length)).asSlice(0, data.length)
                            .copyFrom(MemorySegment.ofArray(data));
                    MemorySegment out = arena.allocate(d.bound(data.length));
                    long n = d.deflate(in, out);
                    assertTrue(n > 2, "wrote " + n);
                    byte[] z = out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                    assertEquals(0x78, z[0] & 0xff, "a zlib header, as HDF5's deflate filter writes");
                    assertEquals(0, ((z[0] & 0xff) << 8 | (z[1] & 0xff)) % 31, "zlib header check bits");
                    assertArrayEquals(data, inflate(z, data.length));
                    if (data == random) {
                        assertTrue(n > data.length, "random bytes grow a little, within the bound: " + n);
                    }
                } finally {
                    d.close();
                    d.close();                                   // idempotent
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"JAVA, 4", "LIBDEFLATE, 4", "ISAL, 1"})
    void anOutputTooSmallIsReportedNotTruncated(DeflateLibrary library, int level) {
        require(library);
        byte[] random = new byte[10_000];
        new SplittableRandom(9).nextBytes(random);
        try (Arena arena = Arena.ofConfined()) {
            ChunkDeflater d = ChunkDeflater.open(library, level);
            try {
                assertEquals(-1, d.deflate(arena.allocate(10_000).copyFrom(MemorySegment.ofArray(random)), arena.allocate(5_000)));
            } finally {
                d.close();
            }
        }
    }

    @Test
    void libdeflateAndZlibDifferInBytesNotInContent() throws DataFormatException {
        require(DeflateLibrary.LIBDEFLATE);
        byte[] data = recordLike(1 << 20, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(data.length).copyFrom(MemorySegment.ofArray(data));
            byte[][] streams = new byte[2][];
            int i = 0;
            for (DeflateLibrary library : new DeflateLibrary[] {DeflateLibrary.JAVA, DeflateLibrary.LIBDEFLATE}) {
                ChunkDeflater d = ChunkDeflater.open(library, 4);
                MemorySegment out = arena.allocate(d.bound(data.length));
                streams[i++] = out.asSlice(0, d.deflate(in, out)).toArray(ValueLayout.JAVA_BYTE);
                d.close();
            }
            assertArrayEquals(inflate(streams[0], data.length), inflate(streams[1], data.length));
        }
    }

    @ParameterizedTest
    @CsvSource({"LIBDEFLATE, 4", "ISAL, 1"})
    void aClosedNativeDeflaterRefusesWork(DeflateLibrary library, int level) {
        require(library);
        ChunkDeflater d = ChunkDeflater.open(library, level);
        d.close();
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalStateException.class, () -> d.deflate(arena.allocate(10), arena.allocate(100)));
        }
    }

    @Test
    void isalHasNoZlibLevels() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChunkDeflater.open(DeflateLibrary.ISAL, 4));
        assertEquals("ISA-L deflates at its level 1 only (gzip:fast), not at zlib's level 4", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"LIBDEFLATE, 4", "ISAL, 1"})
    void nativeDeflatersTakeNativeMemoryOnly(DeflateLibrary library, int level) {
        require(library);
        ChunkDeflater d = ChunkDeflater.open(library, level);
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> d.deflate(MemorySegment.ofArray(new byte[10]), arena.allocate(100)));
        } finally {
            d.close();
        }
    }
}
