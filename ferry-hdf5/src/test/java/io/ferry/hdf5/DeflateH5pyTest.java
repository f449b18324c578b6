package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.hdf5.deflate.DeflateLibraries;
import io.ferry.hdf5.deflate.DeflateLibrary;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Files whose chunks ISA-L, libdeflate or `java.util.zip` deflated, read by h5py (Debian's, its own zlib)
/// byte for byte, incompressible chunks included, and stored as HDF5's own filter stores them.
@org.junit.jupiter.api.Tag("process")
class DeflateH5pyTest {
    @TempDir
    Path dir;

    static final long ROWS = 25_013;               // 12 full chunks of 2000 and a partial one
    static final long CHUNK = 2000;
    static final int[] RANDOM_CHUNKS = {3, 7, 12};  // random bytes: deflate cannot shrink them

    // Per chunk: offset, filter mask, stored bytes, as HDF5 records them.
    static final String CHUNKS = """
            import sys, h5py
            ds = h5py.File(sys.argv[1], 'r')[sys.argv[2]]
            for i in range(ds.id.get_num_chunks()):
                c = ds.id.get_chunk_info(i)
                print(c.chunk_offset[0] // ds.chunks[0], c.filter_mask, c.size)
            """;

    /// Methylation records with a few chunks of random bytes.
    static NdArray records(Arena arena) {
        NdArray a = TestRecords.methylation(arena, ROWS, 7);
        NdArray noise = TestRecords.random(a.dtype(), arena, 8, ROWS);
        long rowBytes = a.dtype().itemSize();
        for (int c : RANDOM_CHUNKS) {
            long from = c * CHUNK * rowBytes;
            long len = Math.min(ROWS - c * CHUNK, CHUNK) * rowBytes;
            MemorySegment.copy(noise.segment(), from, a.segment(), from, len);
        }
        return a;
    }

    @ParameterizedTest(name = "{0}, gzip {1}, shuffle {2}")
    @CsvSource({
            "LIBDEFLATE, 1, false", "LIBDEFLATE, 1, true", "LIBDEFLATE, 4, false", "LIBDEFLATE, 4, true",
            "LIBDEFLATE, 9, false", "LIBDEFLATE, 9, true",
            "JAVA, 1, false", "JAVA, 1, true", "JAVA, 4, false", "JAVA, 4, true", "JAVA, 9, false", "JAVA, 9, true",
            "ISAL, 1, false", "ISAL, 1, true",
    })
    void h5pyReadsWhatEachDeflaterWroteByteForByte(DeflateLibrary library, int level, boolean shuffle) {
        DeflateLibraries.require(library);
        PythonPeer.require("numpy", "h5py");
        Path out = dir.resolve("d.h5");
        Compression gzip = library == DeflateLibrary.ISAL ? Compression.GZIP_FAST : Compression.gzip(level);
        WriteOptions o = WriteOptions.builder().compression(gzip).shuffle(shuffle).chunkRows(CHUNK)
                .threads(2).deflateLibrary(library).build();
        try (Arena arena = Arena.ofShared()) {
            NdArray a = records(arena);
            try (Hdf5Writer writer = Hdf5Writer.create(out, o)) {
                String name = switch (library) {
                    case JAVA -> "java.util.zip";
                    case ISAL -> "ISA-L";
                    default -> "libdeflate";
                };
                assertTrue(writer.deflater().startsWith(name), writer.deflater());
                Hdf5WriterTest.appendInPieces(writer.dataset("sample1", "/data/sample1.tsv", a.dtype()), a, 11, 4500);
                writer.commit();
            }
            Path expected = TestRecords.save(a, dir.resolve("d.bin"));
            String seen = PythonPeer.run(Hdf5WriterTest.CHECK_DATASET, out.toString(), "sample1", a.dtype().descrJson(), expected.toString());
            assertTrue(seen.contains("\"compression\": \"gzip\", \"level\": " + level), seen);
            assertTrue(seen.contains("\"shuffle\": " + shuffle), seen);
            checkChunksStoredAsHdf5Would(out, a.dtype().itemSize());
        }
    }

    /// HDF5's own path, for comparison: the same records through HDF5's filters (zlib's compress2
    /// with room for compressBound) store incompressible chunks deflated, longer, filter mask 0;
    /// Ferry's parallel path must store them the same way.
    @ParameterizedTest(name = "HDF5's filter path, shuffle {0}")
    @CsvSource({"false", "true"})
    void hdf5sOwnFilterStoresIncompressibleChunksTheSameWay(boolean shuffle) {
        PythonPeer.require("numpy", "h5py");
        Path out = dir.resolve("h.h5");
        WriteOptions o = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(shuffle).chunkRows(CHUNK)
                .parallelCompression(false).build();
        try (Arena arena = Arena.ofShared()) {
            NdArray a = records(arena);
            try (Hdf5Writer writer = Hdf5Writer.create(out, o)) {
                Hdf5WriterTest.appendInPieces(writer.dataset("sample1", a.dtype()), a, 11, 4500);
                writer.commit();
            }
            checkChunksStoredAsHdf5Would(out, a.dtype().itemSize());
        }
    }

    private static void checkChunksStoredAsHdf5Would(Path out, long rowBytes) {
        String[] lines = PythonPeer.run(CHUNKS, out.toString(), "sample1").strip().split("\n");
        assertEquals(13, lines.length, String.join("\n", lines));
        long raw = CHUNK * rowBytes;
        for (String line : lines) {
            String[] f = line.split(" ");
            int chunk = Integer.parseInt(f[0]);
            long size = Long.parseLong(f[2]);
            assertEquals("0", f[1], "chunk " + chunk + ": every filter applied (mask 0), as HDF5's deflate filter never skips");
            boolean random = java.util.Arrays.stream(RANDOM_CHUNKS).anyMatch(c -> c == chunk);
            if (random && chunk < 12) {
                assertTrue(size > raw, "random chunk " + chunk + " stored deflated and a little longer: " + size);
            } else if (!random) {
                assertTrue(size < raw / 2, "chunk " + chunk + " of records compressed: " + size);
            }
        }
    }
}
