package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// Splitting a file into byte ranges, cut anywhere, reads every line exactly once.
class ByteRangeTest {
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();
    /// Loaders of all columns, of some in another order, and of one after skipped rows.
    static final List<TextLoader> LOADERS = List.of(TextLoader.of(MethylationTable.DTYPE, TAB),
            TextLoader.of(DType.parse("f8"), LoadOptions.builder().useCols(4, 1, 2).build()),
            TextLoader.of(DType.parse("f4"), LoadOptions.builder().skipRows(100).useCols(2).build()));

    @TempDir
    Path dir;

    /// {@return the bytes of every row of every range, in range order}, read in small chunks (BGZF
    /// ranges too: `BgzfRangeTest`)
    static byte[] readRanges(TextLoader loader, Path file, List<ByteRange> ranges) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined()) {
            for (ByteRange r : ranges) {
                try (TableReader reader = loader.open(file, r)) {
                    long chunkRows = 37;
                    MemorySegment chunk = arena.allocate(chunkRows * Math.max(1, reader.rowBytes()));
                    for (long n; (n = reader.read(chunk, chunkRows)) > 0; ) {
                        all.writeBytes(chunk.asSlice(0, n * reader.rowBytes()).toArray(ValueLayout.JAVA_BYTE));
                    }
                    assertEquals(0, reader.read(chunk, chunkRows), "stays at the end");
                }
            }
        }
        return all.toByteArray();
    }

    /// {@return a methylation table of `lines` lines among which comments, blank lines and rows
    /// ending in CRLF (and with `bareCrLf`, lines of only CRLF), the last row without a line end}
    static String messyTable(SplittableRandom random, int lines, boolean bareCrLf) {
        StringBuilder s = new StringBuilder("# header\n\n");
        for (int i = 0; i < lines; i++) {
            switch (random.nextInt(bareCrLf ? 7 : 6)) {
                case 0 -> s.append("# comment ").append(i).append('\n');
                case 1 -> s.append('\n');
                case 2 -> s.append("chr").append(i).append('\t').append(i).append("\t1.5\t1\t2\r\n");
                case 3 -> s.append(bareCrLf ? "\r\n" : "chr" + i + "\t" + i + "\t" + (i % 100) + "\t3\t4\n");
                default -> s.append("chr").append(i).append('\t').append(i).append('\t').append(i % 100).append("\t3\t4\n");
            }
        }
        return s.append("chrEnd\t1\t2\t3\t4").toString();
    }

    /// {@return 1 to 7 ranges that cover `[0, size)`, cut at random places}, the last ending at `end`
    static List<ByteRange> randomRanges(SplittableRandom random, long size, long end) {
        int parts = 1 + random.nextInt(7);
        long[] cuts = random.longs(parts - 1, 0, size + 1).sorted().toArray();
        List<ByteRange> ranges = new ArrayList<>();
        long at = 0;
        for (long c : cuts) {
            ranges.add(new ByteRange(at, c));
            at = c;
        }
        ranges.add(new ByteRange(at, end));
        return ranges;
    }

    static byte[] whole(TextLoader loader, Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = loader.load(file, arena);
            return a.segment().toArray(ValueLayout.JAVA_BYTE);
        }
    }

    @Test
    void thePiecesOfARangeTileItAsSplitTilesAFile() {
        ByteRange range = new ByteRange(1000, 2003);
        for (int parts = 1; parts <= 7; parts++) {
            List<ByteRange> split = ByteRange.split(range.length(), parts);
            for (int i = 0; i < parts; i++) {
                ByteRange piece = range.piece(i, parts);
                assertEquals(new ByteRange(1000 + split.get(i).start(), 1000 + split.get(i).end()), piece);
            }
        }
    }

    @Test
    void oneToSevenEqualRanges() throws IOException {
        Path f = dir.resolve("meth.txt");
        MethylationTable.write(f, 40_001, 11); // about 1 MB, so ranges span several buffers
        for (TextLoader loader : LOADERS) {
            byte[] expected = whole(loader, f);
            for (int parts = 1; parts <= 7; parts++) {
                assertArrayEquals(expected, readRanges(loader, f, ByteRange.split(f, parts)), parts + " parts");
            }
        }
    }

    @Test
    void cutsAnywhereWithCommentsBlankLinesAndSkipRows() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        Path f = Files.writeString(dir.resolve("mixed.txt"), messyTable(random, 400, false));
        long size = Files.size(f);
        for (LoadOptions options : List.of(TAB, TAB.toBuilder().skipRows(57).build())) {
            TextLoader loader = TextLoader.of(MethylationTable.DTYPE, options);
            byte[] expected = whole(loader, f);
            for (int trial = 0; trial < 60; trial++) {
                List<ByteRange> ranges = randomRanges(random, size, size);
                assertArrayEquals(expected, readRanges(loader, f, ranges), ranges.toString());
            }
        }
    }

    @Test
    void maxRowsAcrossChunks() throws IOException {
        Path f = dir.resolve("meth.txt");
        MethylationTable.write(f, 5000, 2);
        TextLoader all = TextLoader.of(MethylationTable.DTYPE, TAB);
        TextLoader first = TextLoader.of(MethylationTable.DTYPE, TAB.toBuilder().maxRows(1000).build());
        byte[] expected = java.util.Arrays.copyOf(whole(all, f), 1000 * 26);
        assertArrayEquals(expected, readRanges(first, f, List.of(new ByteRange(0, Files.size(f)))));
        assertArrayEquals(expected, whole(first, f));
    }

    @Test
    void splitTilesTheFile() {
        assertEquals(List.of(new ByteRange(0, 0)), ByteRange.split(0, 1));
        List<ByteRange> r = ByteRange.split(10, 4);
        assertEquals(List.of(new ByteRange(0, 2), new ByteRange(2, 5), new ByteRange(5, 7), new ByteRange(7, 10)), r);
        List<ByteRange> big = ByteRange.split(Long.MAX_VALUE, 7);
        assertEquals(Long.MAX_VALUE, big.getLast().end());
        for (int i = 1; i < big.size(); i++) {
            assertEquals(big.get(i - 1).end(), big.get(i).start());
        }
    }

    @Test
    void rangesOfGzipAndMaxRowsAreRefused() throws IOException {
        Path gz = dir.resolve("m.txt.gz");
        MethylationTable.write(gz, 100, 1, true);
        assertEquals(1, ByteRange.split(gz, 4).size(), "a gzip file is one range");
        TextLoader loader = TextLoader.of(MethylationTable.DTYPE, TAB);
        assertThrows(IllegalArgumentException.class, () -> loader.open(gz, new ByteRange(10, 20)));
        Path f = dir.resolve("m.txt");
        MethylationTable.write(f, 100, 1);
        TextLoader limited = TextLoader.of(MethylationTable.DTYPE, TAB.toBuilder().maxRows(5).build());
        assertThrows(IllegalArgumentException.class, () -> limited.open(f, new ByteRange(10, 20)));
    }
}
