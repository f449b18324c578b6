package io.ferry.hdf5;

import io.ferry.hdf5.deflate.DeflateLibrary;
import io.ferry.hdf5.deflate.LibraryUnavailableException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.ferry.hdf5.deflate.DeflateLibraries.require;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// Which library a writer deflates with, and what it says about it.
class DeflaterChoiceTest {
    @TempDir
    Path dir;

    @Test
    void theWriterSaysWhichDeflaterItUses() {
        require(DeflateLibrary.LIBDEFLATE);
        WriteOptions gzip = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).threads(2).build();
        try (Hdf5Writer forced = Hdf5Writer.create(dir.resolve("j.h5"), gzip.toBuilder().deflateLibrary(DeflateLibrary.JAVA).build());
             Hdf5Writer lib = Hdf5Writer.create(dir.resolve("l.h5"), gzip.toBuilder().deflateLibrary(DeflateLibrary.LIBDEFLATE).build());
             Hdf5Writer hdf5 = Hdf5Writer.create(dir.resolve("h.h5"), gzip.toBuilder().parallelCompression(false).build());
             Hdf5Writer none = Hdf5Writer.create(dir.resolve("n.h5"), WriteOptions.DEFAULT);
             Hdf5Writer fastJava = Hdf5Writer.create(dir.resolve("fj.h5"), gzip.toBuilder().compression(Compression.GZIP_FAST)
                     .deflateLibrary(DeflateLibrary.JAVA).build())) {
            assertEquals("java.util.zip on 2 threads, level 1", fastJava.deflater());
            assertEquals("java.util.zip on 2 threads, level 4", forced.deflater());
            assertEquals(DeflateLibrary.JAVA, forced.deflateLibrary());
            assertEquals("libdeflate (libdeflate.so.0) on 2 threads, level 4", lib.deflater());
            assertEquals("HDF5's deflate filter (zlib), in the writing thread, level 4", hdf5.deflater());
            assertEquals("none", none.deflater());
        }
    }

    @Test
    void theForcedFallbackWritesWithJavaUtilZip() {
        // The fallback's own output: java.util.zip and libdeflate choose different bytes, so sizes tell them apart.
        WriteOptions o = WriteOptions.builder().compression(Compression.gzip(4)).shuffle(true).chunkRows(4000).build();
        long[] sizes = new long[2];
        int i = 0;
        try (Arena arena = Arena.ofShared()) {
            var a = TestRecords.methylation(arena, 40_000, 3);
            for (DeflateLibrary library : new DeflateLibrary[] {DeflateLibrary.JAVA, DeflateLibrary.AUTO}) {
                Path out = dir.resolve(library + ".h5");
                try (Hdf5Writer writer = Hdf5Writer.create(out, o.toBuilder().deflateLibrary(library).build())) {
                    writer.dataset("d", a.dtype()).append(a);
                    writer.commit();
                }
                try (Hdf5File f = Hdf5File.open(out)) {
                    assertEquals(a, f.read("d", arena));
                }
                sizes[i++] = sizeOf(out);
            }
        }
        if (DeflateLibrary.LIBDEFLATE.available()) {
            assertFalse(sizes[0] == sizes[1], "AUTO deflated with libdeflate, not with java.util.zip: " + sizes[0]);
        }
    }

    @Test
    void aForcedLibraryThatCannotLoadFailsBeforeAnythingIsWritten() {
        Assumptions.assumeFalse(DeflateLibrary.LIBDEFLATE.available(), "only testable where libdeflate is missing (CI has it)");
        Path out = dir.resolve("x.h5");
        WriteOptions o = WriteOptions.builder().compression(Compression.gzip(4)).deflateLibrary(DeflateLibrary.LIBDEFLATE).build();
        assertThrows(LibraryUnavailableException.class, () -> Hdf5Writer.create(out, o));
        assertFalse(Files.exists(out));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
