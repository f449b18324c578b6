package io.ferry.hdf5;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Which library deflates: AUTO, the `ferry.deflate` property, a forced one, the fallback.
class DeflateLibraryTest {
    @TempDir
    Path dir;

    @Test
    void autoPrefersLibdeflateAndFallsBackToJava() {
        assertEquals(Libdeflate.available() ? DeflateLibrary.LIBDEFLATE : DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve(null, false));
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.JAVA.resolve(null, false));
    }

    @Test
    void thePropertyPicksForAutoOnly() {
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve("java", false));
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve(" JAVA ", false));
        assertEquals(DeflateLibrary.AUTO.resolve(null, false), DeflateLibrary.AUTO.resolve("auto", false));
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.JAVA.resolve("libdeflate", false), "an explicit option wins");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeflateLibrary.AUTO.resolve("zopfli", false));
        assertEquals("-Dferry.deflate is java, libdeflate or auto, not 'zopfli'", e.getMessage());
    }

    @Test
    void gzipFastPrefersIsal() {
        DeflateLibrary zlibLevels = DeflateLibrary.AUTO.resolve(null, false);
        assertEquals(Isal.available() ? DeflateLibrary.ISAL : zlibLevels, DeflateLibrary.AUTO.resolve(null, true));
        assertEquals(DeflateLibrary.AUTO.resolve(null, true), DeflateLibrary.AUTO.resolve(Compression.GZIP_FAST));
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.AUTO.resolve("java", true), "the property still picks");
        assertEquals(DeflateLibrary.JAVA, DeflateLibrary.JAVA.resolve(null, true), "an explicit option wins");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeflateLibrary.ISAL.resolve(Compression.gzip(4)));
        assertEquals("ISA-L deflates for gzip:fast only: its levels are not zlib's", e.getMessage());
    }

    @Test
    void isalAskedForLoadsOrSaysWhyNot() {
        if (Isal.available()) {
            assertEquals(DeflateLibrary.ISAL, DeflateLibrary.ISAL.resolve(null, true));
            assertEquals("", Isal.problem());
        } else {
            Hdf5Exception e = assertThrows(Hdf5Exception.class, () -> DeflateLibrary.ISAL.resolve(null, true));
            assertTrue(e.getMessage().contains("libisal2"), e.getMessage());
        }
    }

    @Test
    void libdeflateAskedForLoadsOrSaysWhyNot() {
        if (Libdeflate.available()) {
            assertEquals(DeflateLibrary.LIBDEFLATE, DeflateLibrary.LIBDEFLATE.resolve(null, false));
            assertEquals(DeflateLibrary.LIBDEFLATE, DeflateLibrary.AUTO.resolve("libdeflate", false));
            assertEquals("", Libdeflate.problem());
        } else {
            Hdf5Exception e = assertThrows(Hdf5Exception.class, () -> DeflateLibrary.LIBDEFLATE.resolve(null, false));
            assertTrue(e.getMessage().contains("libdeflate0"), e.getMessage());
        }
    }

    @Test
    void theSinkSaysWhichDeflaterItUses() {
        ChunkDeflaterTest.requireLibdeflate();
        SinkOptions gzip = SinkOptions.builder().compression(Compression.gzip(4)).shuffle(true).threads(2).build();
        try (Hdf5Sink forced = Hdf5Sink.create(dir.resolve("j.h5"), gzip.toBuilder().deflateLibrary(DeflateLibrary.JAVA).build());
             Hdf5Sink lib = Hdf5Sink.create(dir.resolve("l.h5"), gzip.toBuilder().deflateLibrary(DeflateLibrary.LIBDEFLATE).build());
             Hdf5Sink hdf5 = Hdf5Sink.create(dir.resolve("h.h5"), gzip.toBuilder().parallelCompression(false).build());
             Hdf5Sink none = Hdf5Sink.create(dir.resolve("n.h5"), SinkOptions.DEFAULT);
             Hdf5Sink fastJava = Hdf5Sink.create(dir.resolve("fj.h5"), gzip.toBuilder().compression(Compression.GZIP_FAST)
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
        SinkOptions o = SinkOptions.builder().compression(Compression.gzip(4)).shuffle(true).chunkRows(4000).build();
        long[] sizes = new long[2];
        int i = 0;
        try (Arena arena = Arena.ofShared()) {
            var a = TestRecords.methylation(arena, 40_000, 3);
            for (DeflateLibrary library : new DeflateLibrary[] {DeflateLibrary.JAVA, DeflateLibrary.AUTO}) {
                Path out = dir.resolve(library + ".h5");
                try (Hdf5Sink sink = Hdf5Sink.create(out, o.toBuilder().deflateLibrary(library).build())) {
                    sink.dataset("d", a.dtype()).append(a);
                    sink.commit();
                }
                try (Hdf5File f = Hdf5File.open(out)) {
                    assertEquals(a, f.read("d", arena));
                }
                sizes[i++] = sizeOf(out);
            }
        }
        if (Libdeflate.available()) {
            assertFalse(sizes[0] == sizes[1], "AUTO deflated with libdeflate, not with java.util.zip: " + sizes[0]);
        }
    }

    @Test
    void aForcedLibraryThatCannotLoadFailsBeforeAnythingIsWritten() {
        Assumptions.assumeFalse(Libdeflate.available(), "only testable where libdeflate is missing (CI has it)");
        Path out = dir.resolve("x.h5");
        SinkOptions o = SinkOptions.builder().compression(Compression.gzip(4)).deflateLibrary(DeflateLibrary.LIBDEFLATE).build();
        assertThrows(Hdf5Exception.class, () -> Hdf5Sink.create(out, o));
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
