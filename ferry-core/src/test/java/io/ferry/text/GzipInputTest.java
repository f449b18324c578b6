package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.gzip.GzipFormatException;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Gzip inputs through the loader: recognised by content, every member read and checked. A
/// damaged later member used to end the load quietly with the rows before it
/// (`GZIPInputStream`); now it is an error naming the file and the offset.
@org.junit.jupiter.api.Tag("process")
class GzipInputTest {
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();
    private static final TextLoader LOADER = TextLoader.of(MethylationTable.DTYPE, TAB);

    @TempDir
    static Path fixtures;
    @TempDir
    Path dir;

    static byte[] member1;
    static byte[] member2;
    static Path plain;

    @BeforeAll
    static void makeMembers() throws IOException {
        plain = fixtures.resolve("all.txt");
        MethylationTable.write(plain, 2_000, 3);
        List<String> lines = Files.readAllLines(plain);
        Files.write(fixtures.resolve("a.txt"), lines.subList(0, 1_000));
        Files.write(fixtures.resolve("b.txt"), lines.subList(1_000, 2_000));
        member1 = gzip(fixtures.resolve("a.txt"));
        member2 = gzip(fixtures.resolve("b.txt"));
    }

    @Test
    void twoMembersLoadAsOneTable() throws IOException {
        Path f = Files.write(dir.resolve("two.txt.gz"), concat(member1, member2));
        assertArrayEquals(rows(plain), rows(f));
    }

    /// The case: a later member cut short in its header. `GZIPInputStream` gave the first
    /// member's 1,000 rows and no error.
    @Test
    void aLaterMemberCutShortIsAnError() throws IOException {
        byte[] whole = concat(member1, member2);
        for (int cut : new int[]{member1.length + 8, whole.length - 100}) {
            Path f = Files.write(dir.resolve("cut.txt.gz"), Arrays.copyOf(whole, cut));
            GzipFormatException e = assertThrows(GzipFormatException.class, () -> rows(f));
            assertEquals(f + ": gzip stream ends inside member 2 (at byte " + cut + " of " + cut
                    + "; the member starts at byte " + member1.length + ")", e.getMessage());
        }
    }

    /// A later member whose header is damaged: `GZIPInputStream` took it for the end of the file.
    @Test
    void aLaterMemberWithABadHeaderIsAnError() throws IOException {
        byte[] damaged = concat(member1, member2);
        damaged[member1.length + 2] = 9; // the compression method
        Path f = Files.write(dir.resolve("bad.txt.gz"), damaged);
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> rows(f));
        assertEquals(GzipFormatException.Problem.BAD_HEADER, e.problem(), e.getMessage());
    }

    @Test
    void aDamagedLaterMemberIsAnError() throws IOException {
        byte[] damaged = concat(member1, member2);
        damaged[member1.length + member2.length / 2] ^= 0x10;
        Path f = Files.write(dir.resolve("bad.txt.gz"), damaged);
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> rows(f));
        assertEquals(2, e.member(), e.getMessage());
    }

    /// Damaged deflate data inflates to garbage before the member's check fails at its end: the
    /// garbage was reported as a bad row at a line the file never held ("row has 6 fields" at line
    /// 43,694), the file's damage unsaid. Each byte flipped below is said as damage.
    @Test
    void damageInsideAMemberIsSaidAsDamageNotAsABadRow() throws IOException {
        Path text = dir.resolve("big.txt");
        MethylationTable.write(text, 200_000, 7);
        byte[] whole = gzip(text);
        for (int at = whole.length / 4; at < whole.length * 3 / 4; at += whole.length / 9) {
            byte[] damaged = whole.clone();
            damaged[at] ^= 0x01;
            Path f = Files.write(dir.resolve("flipped.txt.gz"), damaged);
            Exception e = assertThrows(Exception.class, () -> rows(f));
            assertTrue(e instanceof GzipFormatException, "byte " + at + ": " + e);
        }
    }

    @Test
    void garbageAfterTheLastMemberIsAnError() throws IOException {
        Path f = Files.write(dir.resolve("junk.txt.gz"), concat(member1, "chr1\t1\t1.0\t1\t1\n".getBytes(StandardCharsets.US_ASCII)));
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> rows(f));
        assertEquals(GzipFormatException.Problem.TRAILING_DATA, e.problem());
        assertTrue(e.getMessage().contains("bytes after gzip member 1, from byte " + member1.length), e.getMessage());
    }

    /// Gzip named `.txt` is one range, read whole; plain named `.gz` is cut into ranges like any
    /// plain file, and its ranges read every row once.
    @Test
    void gzipIsRecognisedByContentNotByName() throws IOException {
        Path gzipNamedTxt = Files.write(dir.resolve("g.txt"), concat(member1, member2));
        assertEquals(List.of(new ByteRange(0, Files.size(gzipNamedTxt))), ByteRange.split(gzipNamedTxt, 4));
        assertArrayEquals(rows(plain), rows(gzipNamedTxt));

        Path plainNamedGz = Files.copy(plain, dir.resolve("p.txt.gz"));
        List<ByteRange> ranges = ByteRange.split(plainNamedGz, 4);
        assertEquals(4, ranges.size());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (ByteRange r : ranges) {
            joined.writeBytes(rows(plainNamedGz, r));
        }
        assertArrayEquals(rows(plain), joined.toByteArray());
    }

    private static byte[] rows(Path f) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            NdArray a = LOADER.load(f, arena);
            return a.segment().toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static byte[] rows(Path f, ByteRange range) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Arena arena = Arena.ofConfined(); TableReader r = LOADER.open(f, range)) {
            var chunk = arena.allocate(1000 * r.rowBytes());
            for (long n; (n = r.read(chunk, 1000)) > 0; ) {
                out.writeBytes(chunk.asSlice(0, n * r.rowBytes()).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(Path text) throws IOException {
        Process p = new ProcessBuilder("gzip", "-c", text.toString()).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            assertEquals(0, p.waitFor());
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
