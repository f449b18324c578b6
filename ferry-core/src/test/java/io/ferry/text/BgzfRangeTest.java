package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.gzip.BgzfWriter;
import io.ferry.gzip.GzipFormatException;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// A BGZF file read in byte ranges, cut anywhere, gives the rows of the whole file (read by
/// GzipStream), each once: with bgzip's blocks, and with blocks of a few bytes that split lines,
/// "\r\n" and fields; errors still name the file's line.
class BgzfRangeTest {
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();

    @TempDir
    Path dir;

    @Test
    void oneToSevenRangesAsTheWholeFile() throws IOException {
        Path t = dir.resolve("meth.txt");
        MethylationTable.write(t, 40_001, 11);
        byte[] text = Files.readAllBytes(t);
        SplittableRandom r = new SplittableRandom(1);
        List<Path> files = List.of(BgzfWriter.write(dir.resolve("a.gz"), text).file(),
                BgzfWriter.write(dir.resolve("b.gz"), text, k -> 1 + r.nextInt(3000), true).file());
        for (Path f : files) {
            for (TextLoader loader : List.of(TextLoader.of(MethylationTable.DTYPE, TAB),
                    TextLoader.of(DType.parse("f8"), LoadOptions.builder().useCols(4, 1, 2).build()),
                    TextLoader.of(DType.parse("f4"), LoadOptions.builder().skipRows(100).useCols(2).build()))) {
                byte[] expected = whole(loader, f);
                assertEquals(whole(loader, t).length, expected.length);
                for (int parts = 1; parts <= 7; parts++) {
                    List<ByteRange> ranges = ByteRange.split(f, parts);
                    assertEquals(parts, ranges.size(), "a BGZF file is cut");
                    assertArrayEquals(expected, readRanges(loader, f, ranges), f.getFileName() + ", " + parts + " parts");
                }
            }
        }
    }

    @Test
    void cutsAnywhereWithTinyBlocksCrLfCommentsAndSkipRows() throws IOException {
        StringBuilder s = new StringBuilder("# header\n\n");
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 600; i++) {
            switch (random.nextInt(7)) {
                case 0 -> s.append("# comment ").append(i).append('\n');
                case 1 -> s.append('\n');
                case 2 -> s.append("chr").append(i).append('\t').append(i).append("\t1.5\t1\t2\r\n");
                case 3 -> s.append("\r\n");
                default -> s.append("chr").append(i).append('\t').append(i).append('\t').append(i % 100).append("\t3\t4\n");
            }
        }
        s.append("chrEnd\t1\t2\t3\t4"); // no final newline
        byte[] text = s.toString().getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 4; round++) {
            int most = new int[] {1, 3, 40, 2000}[round];
            Path f = BgzfWriter.write(dir.resolve("mixed" + round + ".gz"), text, k -> 1 + random.nextInt(most), true).file();
            long size = Files.size(f);
            for (LoadOptions options : List.of(TAB, TAB.toBuilder().skipRows(57).build())) {
                TextLoader loader = TextLoader.of(MethylationTable.DTYPE, options);
                byte[] expected = whole(loader, f);
                for (int trial = 0; trial < 25; trial++) {
                    int parts = 1 + random.nextInt(7);
                    long[] cuts = random.longs(parts - 1, 0, size + 1).sorted().toArray();
                    List<ByteRange> ranges = new ArrayList<>();
                    long at = 0;
                    for (long c : cuts) {
                        ranges.add(new ByteRange(at, c));
                        at = c;
                    }
                    ranges.add(new ByteRange(at, trial % 2 == 0 ? size : Long.MAX_VALUE));
                    assertArrayEquals(expected, readRanges(loader, f, ranges), "blocks of 1-" + most + ": " + ranges);
                }
            }
        }
    }

    @Test
    void anErrorInALaterRangeNamesTheFilesLine() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            s.append("chr1\t").append(i).append(i == 15_001 ? "\tx\t1\t1\r\n" : "\t5\t1\t1\n");
        }
        Path f = BgzfWriter.write(dir.resolve("bad.gz"), s.toString().getBytes(StandardCharsets.US_ASCII),
                k -> 5000 + k, true).file();
        TextLoader loader = TextLoader.of(MethylationTable.DTYPE, TAB);
        List<ByteRange> ranges = ByteRange.split(f, 4);
        TextParseException e = assertThrows(TextParseException.class, () -> readRanges(loader, f, ranges.subList(2, 4)));
        assertEquals(15_001, e.line(), e.getMessage());
        TextParseException whole = assertThrows(TextParseException.class, () -> whole(loader, f));
        assertEquals(whole.getMessage(), e.getMessage());
    }

    @Test
    void aDamagedBlockInARange() throws IOException {
        Path t = dir.resolve("meth.txt");
        MethylationTable.write(t, 20_000, 4);
        BgzfWriter.Written w = BgzfWriter.write(dir.resolve("ok.gz"), Files.readAllBytes(t));
        byte[] bad = w.bytes().clone();
        long block = w.blockStarts().get(3);
        bad[(int) block + 100] ^= 0x20;
        Path f = Files.write(dir.resolve("bad.gz"), bad);
        TextLoader loader = TextLoader.of(MethylationTable.DTYPE, TAB);
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> readRanges(loader, f, ByteRange.split(f, 3)));
        assertTrue(e.offset() >= block && e.offset() < w.blockStarts().get(4), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ": the BGZF block at byte " + block), e.getMessage());
    }

    /// {@return the bytes of every row of every range, in range order}, read in small chunks
    private static byte[] readRanges(TextLoader loader, Path file, List<ByteRange> ranges) throws IOException {
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

    private static byte[] whole(TextLoader loader, Path file) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = loader.load(file, arena);
            return a.segment().toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
