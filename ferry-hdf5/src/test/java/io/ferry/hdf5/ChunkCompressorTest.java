package io.ferry.hdf5;

import io.ferry.hdf5.deflate.DeflateLibraries;
import io.ferry.hdf5.deflate.DeflateLibrary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/// A compressor does what HDF5's `shuffle → deflate` pipeline does, whatever deflates.
class ChunkCompressorTest {
    @ParameterizedTest(name = "{0}, shuffle {1}, gzip {2}")
    @CsvSource({
            "JAVA, false, 4", "JAVA, true, 4", "JAVA, true, 0",
            "LIBDEFLATE, false, 4", "LIBDEFLATE, true, 4", "LIBDEFLATE, true, 1", "LIBDEFLATE, true, 9",
            "ISAL, false, 1", "ISAL, true, 1",
    })
    void chunksComeOutShuffledThenDeflated(DeflateLibrary library, boolean shuffle, int gzip) throws DataFormatException {
        DeflateLibraries.require(library);
        int size = 26 * 1000;
        byte[] random = new byte[size];
        new SplittableRandom(2).nextBytes(random);
        try (Arena arena = Arena.ofConfined()) {
            ChunkCompressor c = new ChunkCompressor(size, 26, shuffle, gzip, library);
            try {
                for (byte[] data : new byte[][] {DeflateLibraries.recordLike(size, 1), random}) {
                    c.load(arena.allocate(size).copyFrom(MemorySegment.ofArray(data)));
                    byte[] got = c.compress().toArray(ValueLayout.JAVA_BYTE);
                    byte[] want = shuffle ? ByteShuffleTest.reference(data, 26) : data;
                    assertArrayEquals(want, gzip == 0 ? got : DeflateLibraries.inflate(got, size));
                }
            } finally {
                c.close();
                c.close();
            }
        }
    }
}
