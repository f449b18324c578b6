package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.hdf5.deflate.DeflateLibraries;
import io.ferry.hdf5.deflate.DeflateLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.DataFormatException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The compression queue alone, without HDF5: rows appended in pieces of any size come back as
/// whole chunks, in order, each shuffled then deflated, the last one zero-padded.
class ParallelCompressionTest {
    private static final long CHUNK_ROWS = 1000;

    private record Stored(long index, long rows, byte[] bytes) {
    }

    @ParameterizedTest(name = "shuffle {0}, gzip {1}, {2} threads")
    @CsvSource({"true, 4, 2", "false, 4, 1", "true, 0, 3", "false, 1, 4"})
    void chunksComeBackInOrderFilteredAndPadded(boolean shuffle, int gzip, int threads) throws DataFormatException {
        WriteOptions o = WriteOptions.builder().shuffle(shuffle).compression(gzip == 0 ? Compression.NONE : Compression.gzip(gzip))
                .threads(threads).deflateLibrary(DeflateLibrary.JAVA).build();
        int rowBytes = (int) TestRecords.METHYLATION.itemSize();
        long rows = 10 * CHUNK_ROWS + 317;
        List<Stored> stored = new ArrayList<>();
        try (Arena arena = Arena.ofShared(); ParallelCompression compression = ParallelCompression.of(o)) {
            NdArray a = TestRecords.methylation(arena, rows, 3);
            ParallelCompression.Queue q = compression.queue("d", o, CHUNK_ROWS, rowBytes, rowBytes,
                    (index, n, bytes) -> stored.add(new Stored(index, n, bytes.toArray(ValueLayout.JAVA_BYTE))));
            SplittableRandom r = new SplittableRandom(5);
            for (long at = 0; at < rows; ) {
                long n = Math.min(rows - at, 1 + r.nextLong(2500));   // smaller than a chunk, or several
                q.append(a.slice(at, at + n).segment(), n);
                at += n;
            }
            assertTrue(q.compressors() <= ParallelCompression.maxCompressors(threads, 1), "compressors: " + q.compressors());
            q.finish();

            byte[] all = a.segment().toArray(ValueLayout.JAVA_BYTE);
            assertEquals(11, stored.size());
            for (int i = 0; i < stored.size(); i++) {
                Stored s = stored.get(i);
                assertEquals(i, s.index(), "stored in chunk order");
                long real = i < 10 ? CHUNK_ROWS : 317;
                assertEquals(real, s.rows());
                byte[] chunk = new byte[(int) (CHUNK_ROWS * rowBytes)];                  // zero padding after the rows
                System.arraycopy(all, (int) (i * CHUNK_ROWS * rowBytes), chunk, 0, (int) (real * rowBytes));
                byte[] want = shuffle ? ByteShuffleTest.reference(chunk, rowBytes) : chunk;
                byte[] got = gzip == 0 ? s.bytes() : DeflateLibraries.inflate(s.bytes(), chunk.length);
                assertArrayEquals(want, got, "chunk " + i);
            }
        }
    }

    @Test
    void aStoreThatFailsFailsTheAppendAndTheQueueStillDiscards() {
        WriteOptions o = WriteOptions.builder().compression(Compression.gzip(1)).threads(2).deflateLibrary(DeflateLibrary.JAVA).build();
        try (Arena arena = Arena.ofShared(); ParallelCompression compression = ParallelCompression.of(o)) {
            NdArray a = TestRecords.methylation(arena, 5 * CHUNK_ROWS, 1);
            int rowBytes = (int) a.dtype().itemSize();
            ParallelCompression.Queue q = compression.queue("d", o, CHUNK_ROWS, rowBytes, rowBytes, (i, n, b) -> {
                throw new IllegalStateException("disk full at chunk " + i);
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                q.append(a.segment(), a.length());
                q.finish();
            });
            assertEquals("disk full at chunk 0", e.getMessage());
            q.discard();
            q.discard();                                                        // idempotent
        }
    }
}
