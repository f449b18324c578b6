package io.ferry.gzip;

import io.ferry.gzip.GzipFormatException.Problem;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/// [BgzfReader]: from any compressed offset it reads the text of the blocks that start there or
/// later, knows where the block after a range's end begins in that text, and refuses a damaged
/// block, a member that is not a BGZF block and a file without the end block, naming the offset.
class BgzfReaderTest {
    @TempDir
    static Path fixtures;
    @TempDir
    Path dir;

    static byte[] text;
    static BgzfWriter.Written file;
    /// The text offset of each block's first byte, and the text's length last.
    static long[] textAt;

    @BeforeAll
    static void write() throws IOException {
        Path t = fixtures.resolve("t.txt");
        MethylationTable.write(t, 30_000, 7);
        text = Files.readAllBytes(t);
        SplittableRandom r = new SplittableRandom(5);
        int[] sizes = r.ints(4000, 1, 0xff00).map(x -> x % 3 == 0 ? x % 300 + 1 : x).toArray();
        file = BgzfWriter.write(fixtures.resolve("t.txt.gz"), text, k -> sizes[k], true);
        textAt = new long[file.blockStarts().size()];
        long sum = 0;
        for (int k = 0; k < textAt.length; k++) {
            textAt[k] = sum;
            sum += k < textAt.length - 1 ? Math.min(sizes[k], text.length - sum) : 0;
        }
    }

    @Test
    void theLibrariesLoadUnderCi() {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(LibdeflateInflate.LOADED.available(), LibdeflateInflate.LOADED.problemOrEmpty());
            try (BlockInflater b = withProperty(null, BlockInflater::create)) {
                assertInstanceOf(BlockInflater.Libdeflate.class, b);
            }
        }
    }

    @Test
    void isBgzfByTheFirstMembersExtraField() throws IOException {
        assertTrue(Gzip.isBgzf(file.file()));
        Path plain = Files.write(dir.resolve("p.gz"), GzipStreamTest.concat(new byte[] {0x1f, (byte) 0x8b, 8, 0}, new byte[20]));
        assertFalse(Gzip.isBgzf(plain));
        assertFalse(Gzip.isBgzf(Files.write(dir.resolve("t.txt"), new byte[] {'a', '\n'})));
    }

    @Test
    void fromAnyOffsetTheBlocksStartingThereAndTheRangeEnd() throws IOException {
        long size = file.bytes().length;
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 300; i++) {
            long start = i < 3 ? new long[] {0, 1, size - 1}[i] : r.nextLong(size + 1);
            long end = start + r.nextLong(Math.max(1, size - start + 1));
            if (i % 7 == 0 && i > 3) { // exactly at a block start, and a byte either side
                int k = r.nextInt(file.blockStarts().size());
                start = Math.max(0, file.blockStarts().get(k) + r.nextInt(3) - 1);
                end = Math.max(start, file.blockStarts().get(r.nextInt(k, file.blockStarts().size())) + r.nextInt(3) - 1);
            }
            int first = firstBlockAtOrAfter(start);
            int last = firstBlockAtOrAfter(end);
            try (FileChannel ch = FileChannel.open(file.file(), StandardOpenOption.READ);
                 BgzfReader reader = BgzfReader.open(ch, "t.txt.gz", start, end)) {
                byte[] got = readAll(reader, 1 + r.nextInt(200_000));
                long from = first < textAt.length ? textAt[first] : text.length;
                assertArrayEquals(Arrays.copyOfRange(text, (int) from, text.length), got, "from " + start);
                long expectedEnd = (last < textAt.length ? textAt[last] : text.length) - from;
                assertEquals(expectedEnd, reader.rangeEnd(), "range [" + start + ", " + end + ")");
                assertEquals(size, reader.position());
            }
        }
    }

    @Test
    void aFlippedByteInABlockNamesItsOffset() throws IOException {
        SplittableRandom r = new SplittableRandom(11);
        List<Long> starts = file.blockStarts();
        for (int i = 0; i < 40; i++) {
            int k = r.nextInt(starts.size() - 1);
            long blockStart = starts.get(k);
            long next = starts.get(k + 1);
            long at = blockStart + 18 + r.nextLong(next - blockStart - 18); // the data or the trailer
            byte[] bad = file.bytes().clone();
            bad[(int) at] ^= (byte) (1 << r.nextInt(8));
            Path f = Files.write(dir.resolve("bad.gz"), bad);
            long start = r.nextLong(blockStart + 1);
            GzipFormatException e = assertThrows(GzipFormatException.class, () -> readFrom(f, start), "flip at " + at);
            assertTrue(List.of(Problem.BAD_DATA, Problem.BAD_CRC, Problem.BAD_LENGTH).contains(e.problem()), e.getMessage());
            assertTrue(e.getMessage().contains("block at byte " + blockStart + " of " + bad.length), e.getMessage());
            assertTrue(e.offset() >= blockStart && e.offset() < next, e.offset() + ": " + e.getMessage());
        }
    }

    @Test
    void withoutTheEndBlockItIsCutShort() throws IOException {
        byte[] cut = Arrays.copyOf(file.bytes(), file.bytes().length - BgzfWriter.EOF_BLOCK.length);
        Path f = Files.write(dir.resolve("cut.gz"), cut);
        long lastBlock = file.blockStarts().get(file.blockStarts().size() - 2);
        for (long start : new long[] {0, lastBlock - 5, lastBlock}) {
            GzipFormatException e = assertThrows(GzipFormatException.class, () -> readFrom(f, start));
            assertEquals(Problem.NO_BGZF_END, e.problem(), e.getMessage());
            assertEquals(cut.length, e.offset());
        }
        assertEquals(0, readFrom(f, lastBlock + 1).length, "no block starts there: nothing, and no judgement");
    }

    @Test
    void cutInsideABlockIsTruncated() throws IOException {
        long lastBlock = file.blockStarts().get(file.blockStarts().size() - 2);
        for (long cutAt : new long[] {lastBlock + 1, lastBlock + 10, lastBlock + 30, file.bytes().length - 29}) {
            Path f = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(file.bytes(), (int) cutAt));
            GzipFormatException e = assertThrows(GzipFormatException.class, () -> readFrom(f, lastBlock - 3));
            assertTrue(e.problem() == Problem.TRUNCATED || e.problem() == Problem.NO_BGZF_END, e.getMessage());
        }
    }

    @Test
    void zeroPaddingAfterTheEndBlockButNothingAfterIt() throws IOException {
        Path padded = Files.write(dir.resolve("pad.gz"), GzipStreamTest.concat(file.bytes(), new byte[100]));
        assertArrayEquals(text, readFrom(padded, 0));
        Path garbage = Files.write(dir.resolve("junk.gz"), GzipStreamTest.concat(file.bytes(), new byte[100], new byte[] {7}));
        assertEquals(Problem.TRAILING_DATA, assertThrows(GzipFormatException.class, () -> readFrom(garbage, 0)).problem());
    }

    @Test
    void aMemberThatIsNotABgzfBlockCannotBeReadInRanges() throws IOException {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(member)) {
            gz.write(GzipStreamTest.ascii("x\t1\n"));
        }
        byte[] plain = member.toByteArray();
        byte[] endless = Arrays.copyOf(file.bytes(), file.bytes().length - BgzfWriter.EOF_BLOCK.length);
        Path f = Files.write(dir.resolve("mixed.gz"), GzipStreamTest.concat(endless, plain, BgzfWriter.EOF_BLOCK));
        long lastBlock = file.blockStarts().get(file.blockStarts().size() - 2);
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> readFrom(f, lastBlock));
        assertEquals(Problem.NOT_BGZF_BLOCK, e.problem(), e.getMessage());
        assertEquals(endless.length, e.offset());
        // a way that works: -w 1 cuts the parts all the same, which "read it whole (one worker)" missed
        assertTrue(e.getMessage().contains("read it as a stream (zcat FILE | ferry COMMAND - ...)"), e.getMessage());
    }

    @Test
    void theJdkInflaterWhenLibdeflateIsNotWanted() throws IOException {
        try (BlockInflater b = withProperty("java", BlockInflater::create)) {
            assertInstanceOf(BlockInflater.Jdk.class, b);
        }
        withProperty("java", () -> {
            try {
                assertArrayEquals(text, readFrom(file.file(), 0));
                long k = file.blockStarts().get(5);
                byte[] bad = file.bytes().clone();
                bad[(int) k + 30] ^= 0x10;
                Path f = Files.write(dir.resolve("bad.gz"), bad);
                GzipFormatException e = assertThrows(GzipFormatException.class, () -> readFrom(f, k - 1));
                assertTrue(e.offset() >= k && e.offset() < file.blockStarts().get(6), e.getMessage());
                return null;
            } catch (IOException x) {
                throw new RuntimeException(x);
            }
        });
    }

    @Test
    void anEmptyFileOrAStartPastTheEnd() throws IOException {
        Path empty = Files.write(dir.resolve("e.gz"), new byte[0]);
        assertEquals(Problem.NOT_GZIP, assertThrows(GzipFormatException.class, () -> readFrom(empty, 0)).problem());
        assertEquals(0, readFrom(file.file(), file.bytes().length).length);
    }

    /// Any byte flipped, or the file cut anywhere, and the file read in ranges that tile it, each
    /// range giving its text up to [BgzfReader#rangeEnd()]: the whole text, or a
    /// [GzipFormatException]; never less text without an error, never another exception.
    @Test
    void damagedAnywhereRangesGiveAllTheTextOrRefuse() throws IOException {
        SplittableRandom r = new SplittableRandom(13);
        Path t = dir.resolve("small.txt");
        MethylationTable.write(t, 3000, 2);
        byte[] small = Files.readAllBytes(t);
        BgzfWriter.Written w = BgzfWriter.write(dir.resolve("small.gz"), small, k -> 1 + r.nextInt(4000), true);
        int refused = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bad = w.bytes().clone();
            if (trial % 4 == 3) {
                bad = Arrays.copyOf(bad, r.nextInt(bad.length));
            } else {
                bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            }
            Path f = Files.write(dir.resolve("damaged.gz"), bad);
            int parts = 1 + r.nextInt(6);
            long[] cuts = r.longs(parts - 1, 0, bad.length + 1).sorted().toArray();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                long at = 0;
                for (int p = 0; p < parts; p++) {
                    long end = p < parts - 1 ? cuts[p] : bad.length;
                    try (BgzfReader reader = BgzfReader.open(ch, "damaged.gz", at, end)) {
                        byte[] got = readAll(reader, 1 + r.nextInt(100_000));
                        assertTrue(reader.rangeEnd() >= 0 && reader.rangeEnd() <= got.length);
                        all.write(got, 0, (int) reader.rangeEnd());
                    }
                    at = end;
                }
                assertArrayEquals(small, all.toByteArray(), "trial " + trial + ": no error, so all the text");
            } catch (GzipFormatException e) {
                refused++;
            }
        }
        assertTrue(refused > 200, "most damage is found: " + refused);
    }

    private static int firstBlockAtOrAfter(long offset) {
        List<Long> s = file.blockStarts();
        for (int k = 0; k < s.size(); k++) {
            if (s.get(k) >= offset) {
                return k;
            }
        }
        return s.size();
    }

    private static byte[] readFrom(Path f, long start) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
             BgzfReader reader = BgzfReader.open(ch, f.getFileName().toString(), start, Long.MAX_VALUE)) {
            return readAll(reader, 1 << 16);
        }
    }

    private static byte[] readAll(BgzfReader reader, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[piece];
        for (int n; (n = reader.read(b, 0, piece)) >= 0; ) {
            if (n == 0) {
                fail("a read of " + piece + " gave 0 bytes");
            }
            out.write(b, 0, n);
        }
        assertEquals(-1, reader.read(b, 0, piece), "stays at the end");
        return out.toByteArray();
    }

    private static <T> T withProperty(String value, java.util.function.Supplier<T> body) {
        String old = System.getProperty(DeflateDecoder.PROPERTY);
        try {
            if (value == null) {
                System.clearProperty(DeflateDecoder.PROPERTY);
            } else {
                System.setProperty(DeflateDecoder.PROPERTY, value);
            }
            return body.get();
        } finally {
            if (old == null) {
                System.clearProperty(DeflateDecoder.PROPERTY);
            } else {
                System.setProperty(DeflateDecoder.PROPERTY, old);
            }
        }
    }
}
