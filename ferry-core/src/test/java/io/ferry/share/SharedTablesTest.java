package io.ferry.share;

import io.ferry.array.NdArray;
import io.ferry.sample.MethylationTable;
import io.ferry.shm.SharedArray;
import io.ferry.testing.Gzipped;
import io.ferry.testing.ShmLeakCheck;
import io.ferry.text.LoadOptions;
import io.ferry.text.ParallelLoad;
import io.ferry.text.TextLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/// A plain file loaded into a segment made for more rows than it has (the last range's bound is
/// what its bytes could hold, not a count of its lines): the array is the loader's own, and the
/// segment, in this process and in `/dev/shm`, is cut to its rows.
@ExtendWith(ShmLeakCheck.class)
class SharedTablesTest {
    private static final TextLoader LOADER = TextLoader.of(MethylationTable.DTYPE, LoadOptions.builder().delimiter('\t').build());

    @TempDir
    Path dir;

    @Test
    void theSegmentIsCutToTheRowsWithOneRangeOrSeveral() throws IOException {
        // Two ranges of at least ParallelLoad.MIN_RANGE_BYTES each, and a comment line to leave a
        // gap; then ranges three times as long, whose second is moved down by both threads, the
        // segment cut behind the rows as they go.
        for (long lines : new long[]{2 * ParallelLoad.MIN_RANGE_BYTES / 20, 6 * ParallelLoad.MIN_RANGE_BYTES / 20}) {
            Path file = dir.resolve("m.txt");
            MethylationTable.write(file, lines, 5);
            Files.writeString(file, "# the end\n", java.nio.file.StandardOpenOption.APPEND);
            cutToTheRows(file);
        }
    }

    private static void cutToTheRows(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NdArray expected = LOADER.load(file, arena);
            for (int threads : new int[]{1, 2}) {
                try (SharedArray shared = SharedTables.load(LOADER, file, threads, () -> false)) {
                    assertArrayEquals(expected.shape(), shared.array().shape());
                    assertArrayEquals(expected.segment().toArray(ValueLayout.JAVA_BYTE),
                            shared.array().segment().toArray(ValueLayout.JAVA_BYTE));
                    assertEquals(expected.byteSize(), shared.segment().byteSize(), "the segment as mapped here");
                    assertEquals(expected.byteSize(), Files.size(Path.of("/dev/shm", shared.segment().name())),
                            "the segment as others map it");
                }
            }
        }
    }

    /// A gzip file is parsed into a segment made for a guess of its rows, through its file.
    @Test
    void aGzipFileIsTheLoadersArrayInASegmentOfItsSize() throws IOException {
        Path file = dir.resolve("m.txt");
        MethylationTable.write(file, 20_000, 7);
        Path gz = dir.resolve("m.txt.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(file, out);
        }
        try (Arena arena = Arena.ofConfined(); SharedArray shared = SharedTables.load(LOADER, gz, 2, () -> false)) {
            NdArray expected = LOADER.load(file, arena);
            assertArrayEquals(expected.shape(), shared.array().shape());
            assertArrayEquals(expected.segment().toArray(ValueLayout.JAVA_BYTE),
                    shared.array().segment().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(expected.byteSize(), Files.size(Path.of("/dev/shm", shared.segment().name())));
        }
    }

    @Test
    void anEmptyTableKeepsTheOneByteASegmentNeeds() throws IOException {
        Path file = Files.writeString(dir.resolve("empty.txt"), "# nothing but a comment\n\n");
        try (SharedArray shared = SharedTables.load(LOADER, file, 2, () -> false)) {
            assertEquals(0, shared.array().length());
            assertEquals(1, Files.size(Path.of("/dev/shm", shared.segment().name())));
        }
    }

    /// A gzip file whose rows are many more than its compressed bytes suggest (a run of the same
    /// line, a thousand times smaller compressed): the segment grows as the rows come, several
    /// times, and ends the loader's array, cut to its rows, whoever maps it. A failure partway
    /// (a bad line after the growth) leaves no segment.
    @Test
    void aGzipFileThatInflatesFarBeyondTheGuessGrowsItsSegment() throws IOException {
        Path file = dir.resolve("runs.txt");
        MethylationTable.write(file, 5_000, 3);
        Files.writeString(file, "chr2\t100\t50.0\t1\t1\n".repeat(200_000), java.nio.file.StandardOpenOption.APPEND);
        Path gz = Gzipped.copyOf(file);
        try (Arena arena = Arena.ofConfined(); SharedArray shared = SharedTables.load(LOADER, gz, 2, () -> false)) {
            NdArray expected = LOADER.load(file, arena);
            assertEquals(205_000, expected.length());
            assertArrayEquals(expected.shape(), shared.array().shape());
            assertArrayEquals(expected.segment().toArray(ValueLayout.JAVA_BYTE),
                    shared.array().segment().toArray(ValueLayout.JAVA_BYTE));
            assertEquals(expected.byteSize(), Files.size(Path.of("/dev/shm", shared.segment().name())));
            try (SharedArray other = SharedArray.attach(shared.handleJson())) { // as another process maps it
                assertArrayEquals(expected.segment().toArray(ValueLayout.JAVA_BYTE),
                        other.array().segment().toArray(ValueLayout.JAVA_BYTE));
            }
        }
        Files.writeString(file, "chr2\t100\tnot-a-number\t1\t1\n", java.nio.file.StandardOpenOption.APPEND);
        Path bad = Gzipped.copyOf(file);
        io.ferry.text.TextParseException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.ferry.text.TextParseException.class, () -> SharedTables.load(LOADER, bad, 2, () -> false));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(bad + ":205001:"), e.getMessage());
        // ShmLeakCheck: no segment is left
    }
}
