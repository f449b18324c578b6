package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.gzip.GzipFormatException;
import io.ferry.sample.MethylationTable;
import io.ferry.testing.Gzipped;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A gzip file parsed into memory that grows as its rows come: the loader's array, its errors,
/// and a stop when called off.
class GrowingLoadTest {
    private static final TextLoader METHYLATION = TextLoader.of(MethylationTable.DTYPE,
            LoadOptions.builder().delimiter('\t').build());

    @TempDir
    Path dir;

    /// The class's example, as written there.
    @Test
    void theExample() throws IOException {
        Path plain = dir.resolve("data1.txt");
        MethylationTable.write(plain, 1000, 2);
        Path gz = Gzipped.copyOf(plain);

        TextLoader loader = TextLoader.of(DType.parse("chr:S10,pos:i4"), LoadOptions.builder().delimiter('\t')
                .useCols(0, 1).build());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] memory = new MemorySegment[1];
            ParallelLoad.Loaded loaded = GrowingLoad.load(loader, gz, new GrowingLoad.Memory() {
                public MemorySegment allocate(long rows, long columns, long rowBytes) {
                    return memory[0] = arena.allocate(Math.max(1, rows * rowBytes), 8);
                }

                public MemorySegment grow(MemorySegment old, long rows, long rowBytes) {
                    MemorySegment longer = arena.allocate(rows * rowBytes, 8);      // a copy here; a file grows in place
                    return memory[0] = longer.copyFrom(old);
                }
            }, () -> false);
            long[] numpyShape = loaded.shape();      // np.loadtxt(…, ndmin=1)'s shape
            assertArrayEquals(new long[]{1000}, numpyShape);
            NdArray expected = loader.load(plain, arena);
            assertArrayEquals(expected.segment().toArray(ValueLayout.JAVA_BYTE),
                    memory[0].asSlice(0, expected.byteSize()).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /// Rows far beyond the first guess (a run of one line, a thousand times smaller compressed):
    /// the memory grows several times, each time to at least twice its length, and the rows
    /// written before every growth are kept.
    @Test
    void rowsBeyondTheGuessGrowTheMemoryAndKeepWhatWasWritten() throws IOException {
        Path plain = dir.resolve("runs.txt");
        MethylationTable.write(plain, 3000, 4);
        Files.writeString(plain, "chrX\t7\t1.0\t1\t0\n".repeat(100_000), java.nio.file.StandardOpenOption.APPEND);
        Path gz = Gzipped.copyOf(plain);
        try (Arena arena = Arena.ofShared()) {
            ArenaMemory memory = new ArenaMemory(arena);
            ParallelLoad.Loaded loaded = GrowingLoad.load(METHYLATION, gz, memory, () -> false);
            List<Long> lengths = memory.lengths;
            assertTrue(lengths.size() > 3, "grown several times: " + lengths);
            for (int i = 1; i < lengths.size(); i++) {
                assertTrue(lengths.get(i) >= 2 * lengths.get(i - 1), lengths.get(i) + " after " + lengths.subList(0, i));
            }
            NdArray expected = METHYLATION.load(plain, arena);
            assertArrayEquals(expected.shape(), loaded.shape());
            assertArrayEquals(expected.segment().toArray(ValueLayout.JAVA_BYTE),
                    memory.last.asSlice(0, expected.byteSize()).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /// A bad line is the loader's error, file and line; a file cut short is a gzip error; a load
    /// called off stops between chunks of rows.
    @Test
    void errorsAndACallOffAreTheLoadersOwn() throws IOException {
        Path plain = dir.resolve("bad.txt");
        MethylationTable.write(plain, 300_000, 1);
        Files.writeString(plain, "chr1\t5\tfifty\t1\t1\n", java.nio.file.StandardOpenOption.APPEND);
        Path gz = Gzipped.copyOf(plain);
        TextParseException alone = assertThrows(TextParseException.class, () -> METHYLATION.load(gz, Arena.ofAuto()));
        TextParseException grown = assertThrows(TextParseException.class, () -> load(gz, () -> false));
        assertEquals(alone.getMessage(), grown.getMessage());
        assertTrue(grown.getMessage().startsWith(gz + ":300001:"), grown.getMessage());

        byte[] whole = Files.readAllBytes(gz);
        Path cut = Files.write(dir.resolve("cut.txt.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThrows(GzipFormatException.class, () -> load(cut, () -> false));

        Path good = dir.resolve("good.txt");
        MethylationTable.write(good, 600_000, 1);
        Path goodGz = Gzipped.copyOf(good);
        int[] looks = {0};
        assertThrows(ParallelLoad.Cancelled.class, () -> load(goodGz, () -> ++looks[0] > 1));
        assertEquals(2, looks[0], "stopped at the second look, after two chunks of rows");
        assertFalse(GrowingLoad.applies(plain));
        assertTrue(GrowingLoad.applies(gz));
    }

    private static ParallelLoad.Loaded load(Path gz, java.util.function.BooleanSupplier cancelled) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return GrowingLoad.load(METHYLATION, gz, new ArenaMemory(arena), cancelled);
        }
    }

    /// Memory from an arena, grown by a copy into a longer block; it keeps the lengths it was
    /// made and grown to, and its last block.
    private static final class ArenaMemory implements GrowingLoad.Memory {
        final Arena arena;
        final List<Long> lengths = new ArrayList<>();
        MemorySegment last;

        ArenaMemory(Arena arena) {
            this.arena = arena;
        }

        @Override
        public MemorySegment allocate(long rows, long columns, long rowBytes) {
            lengths.add(rows);
            return last = arena.allocate(rows * rowBytes, 8);
        }

        @Override
        public MemorySegment grow(MemorySegment old, long rows, long rowBytes) {
            lengths.add(rows);
            return last = arena.allocate(rows * rowBytes, 8).copyFrom(old);
        }
    }
}
