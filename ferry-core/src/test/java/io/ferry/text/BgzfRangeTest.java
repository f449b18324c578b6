package io.ferry.text;

import io.ferry.gzip.BgzfWriter;
import io.ferry.gzip.GzipFormatException;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
            for (TextLoader loader : ByteRangeTest.LOADERS) {
                byte[] expected = ByteRangeTest.whole(loader, f);
                assertEquals(ByteRangeTest.whole(loader, t).length, expected.length);
                for (int parts = 1; parts <= 7; parts++) {
                    List<ByteRange> ranges = ByteRange.split(f, parts);
                    assertEquals(parts, ranges.size(), "a BGZF file is cut");
                    assertArrayEquals(expected, ByteRangeTest.readRanges(loader, f, ranges), f.getFileName() + ", " + parts + " parts");
                }
            }
        }
    }

    @Test
    void cutsAnywhereWithTinyBlocksCrLfCommentsAndSkipRows() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        String messy = ByteRangeTest.messyTable(random, 600, true);
        byte[] text = messy.getBytes(StandardCharsets.US_ASCII);
        for (int round = 0; round < 4; round++) {
            int most = new int[] {1, 3, 40, 2000}[round];
            Path f = BgzfWriter.write(dir.resolve("mixed" + round + ".gz"), text, k -> 1 + random.nextInt(most), true).file();
            long size = Files.size(f);
            for (LoadOptions options : List.of(TAB, TAB.toBuilder().skipRows(57).build())) {
                TextLoader loader = TextLoader.of(MethylationTable.DTYPE, options);
                byte[] expected = ByteRangeTest.whole(loader, f);
                for (int trial = 0; trial < 25; trial++) {
                    List<ByteRange> ranges = ByteRangeTest.randomRanges(random, size, trial % 2 == 0 ? size : Long.MAX_VALUE);
                    assertArrayEquals(expected, ByteRangeTest.readRanges(loader, f, ranges), "blocks of 1-" + most + ": " + ranges);
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
        TextParseException e = assertThrows(TextParseException.class, () -> ByteRangeTest.readRanges(loader, f, ranges.subList(2, 4)));
        assertEquals(15_001, e.line(), e.getMessage());
        TextParseException whole = assertThrows(TextParseException.class, () -> ByteRangeTest.whole(loader, f));
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
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> ByteRangeTest.readRanges(loader, f, ByteRange.split(f, 3)));
        assertTrue(e.offset() >= block && e.offset() < w.blockStarts().get(4), e.getMessage());
        assertTrue(e.getMessage().startsWith(f + ": the BGZF block at byte " + block), e.getMessage());
    }

}
