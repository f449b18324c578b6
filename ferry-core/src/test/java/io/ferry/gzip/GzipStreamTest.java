package io.ferry.gzip;

import io.ferry.gzip.GzipFormatException.Problem;
import io.ferry.sample.MethylationTable;
import io.ferry.testing.PythonPeer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// [GzipStream] against GNU `gzip`: members that `gzip` and Python write (plain, concatenated,
/// BGZF, every header flag), then damaged every way the issue lists. For each damaged file the
/// stream must agree with `gzip -t`: return exactly the text where `gzip -t` passes it (exit 0),
/// throw where `gzip -t` fails it (1) or warns of trailing garbage (2). One place differs on
/// purpose, and the test says so: BGZF cut at a block boundary.
@org.junit.jupiter.api.Tag("process")
class GzipStreamTest {
    @TempDir
    static Path fixtures;
    @TempDir
    Path dir;

    static final byte[] A = ascii("chr1\t10\t50.0\t1\t1\nchr1\t20\t66.67\t2\t1\n");
    static final byte[] B = ascii("chr2\t30\t0.0\t0\t3\n");
    static final byte[] C = ascii("chrX\t40\t100.0\t5\t0\nchrX\t41\t12.5\t1\t7\nchrX\t42\t1.5\t3\t9\n");
    /// About 1.2 MB of text: members larger than the stream's 64 KiB input buffer, and 19 BGZF blocks.
    static byte[] big;
    static byte[] gzA;
    static byte[] gzB;
    static byte[] gzC;

    @BeforeAll
    static void makeMembers() throws IOException {
        Path t = fixtures.resolve("big.txt");
        MethylationTable.write(t, 50_000, 5);
        big = Files.readAllBytes(t);
        gzA = GzipTool.compress(A);
        gzB = GzipTool.compress(B, "-9");
        gzC = GzipTool.compress(C, "-1");
    }

    // ---- whole files ----------------------------------------------------------------------------

    @Test
    void oneMember() throws IOException {
        assertArrayEquals(A, inflate(gzA));
        assertArrayEquals(big, inflate(GzipTool.compress(big)));
    }

    @Test
    void severalMembersAsCatMakesThem() throws IOException {
        byte[] three = concat(gzA, gzB, gzC);
        assertEquals(0, gzipT(three));
        assertArrayEquals(concat(A, B, C), inflate(three));
    }

    /// Members much larger than the input buffer, read in pieces of every kind of size: the
    /// member boundary falls inside a buffer and inside a read.
    @Test
    void bigMembersReadInPiecesOfAnySize() throws IOException {
        byte[] half1 = Arrays.copyOfRange(big, 0, big.length / 2);
        byte[] half2 = Arrays.copyOfRange(big, big.length / 2, big.length);
        byte[] two = concat(GzipTool.compress(half1), gzB, GzipTool.compress(half2));
        byte[] expected = concat(half1, B, half2);
        for (int piece : new int[]{1, 7, 4096, 65_536, 1 << 18}) {
            assertArrayEquals(expected, inflate(two, piece), "read " + piece + " bytes at a time");
        }
    }

    @Test
    void zeroLengthMembers() throws IOException {
        byte[] empty = GzipTool.compress(new byte[0]);
        assertEquals(20, empty.length);
        assertArrayEquals(new byte[0], inflate(empty));
        assertArrayEquals(concat(A, B), inflate(concat(empty, gzA, empty, empty, gzB, empty)));
    }

    /// BGZF, as Python writes it by hand: every block a member with the `BC` extra subfield, the
    /// last one BGZF's empty end-of-file block. Python's gzip reads it back first, so the fixture
    /// is right before the stream is judged by it.
    @Test
    void bgzfBlocksWithExtraFieldsAndTheEmptyEndBlock() throws IOException {
        Bgzf f = bgzf(big);
        assertTrue(f.blockStarts().size() > 10, "blocks " + f.blockStarts());
        assertEquals(0, GzipTool.test(f.file()));
        assertArrayEquals(big, inflate(Files.readAllBytes(f.file())));
        byte[] twoFiles = concat(Files.readAllBytes(f.file()), Files.readAllBytes(bgzf(A).file()));
        assertArrayEquals(concat(big, A), inflate(twoFiles), "cat a.bgz b.bgz (an end block in the middle)");
    }

    /// Every header flag at once, header CRC included, as Python writes it.
    @Test
    void everyHeaderFlag() throws IOException {
        Path f = dir.resolve("flags.gz");
        pythonMember(f, A, "flags = 2 | 4 | 8 | 16", "");
        assertEquals(0, GzipTool.test(f));
        assertArrayEquals(concat(A, B), inflate(concat(Files.readAllBytes(f), gzB)));
    }

    // ---- cut short ------------------------------------------------------------------------------

    /// Cut at every byte: at a member boundary the file is a shorter valid one (`gzip -t` passes
    /// it too, and nothing can tell it from a whole file); anywhere else it is refused, with the
    /// offset of the end.
    @Test
    void cutAtEveryByte() throws IOException {
        byte[] three = concat(gzA, gzB, gzC);
        List<Integer> boundaries = List.of(gzA.length, gzA.length + gzB.length);
        for (int cut = 2; cut < three.length; cut++) {
            byte[] cutShort = Arrays.copyOf(three, cut);
            int gzip = gzipT(cutShort);
            if (boundaries.contains(cut)) {
                assertEquals(0, gzip);
                assertArrayEquals(cut == gzA.length ? A : concat(A, B), inflate(cutShort), "cut at " + cut);
            } else {
                assertEquals(1, gzip, "gzip -t of the file cut at " + cut);
                GzipFormatException e = refused(cutShort);
                assertEquals(Problem.TRUNCATED, e.problem(), e.getMessage());
                assertEquals(cut, e.offset());
            }
        }
    }

    @Test
    void theMessageNamesTheFileTheMemberAndTheOffsets() throws IOException {
        byte[] three = concat(gzA, gzB, gzC);
        int cut = gzA.length + gzB.length + 12;
        GzipFormatException e = assertThrows(GzipFormatException.class, () -> inflate(Arrays.copyOf(three, cut), "cut.txt.gz"));
        assertEquals("cut.txt.gz: gzip stream ends inside member 3 (at byte " + cut + " of " + cut
                + "; the member starts at byte " + (gzA.length + gzB.length) + ")", e.getMessage());
        assertEquals(3, e.member());
        assertEquals("cut.txt.gz", e.file());
    }

    /// BGZF cut at a block boundary: `gzip -t` passes it (a shorter valid gzip file), but BGZF
    /// always ends with an empty block, so the stream refuses it.
    @Test
    void bgzfCutAtABlockBoundaryIsRefused() throws IOException {
        Bgzf f = bgzf(big);
        byte[] whole = Files.readAllBytes(f.file());
        List<Long> starts = f.blockStarts();
        for (int i = 1; i < starts.size(); i++) {
            int cut = Math.toIntExact(starts.get(i));
            byte[] cutShort = Arrays.copyOf(whole, cut);
            GzipFormatException e = refused(cutShort);
            assertEquals(Problem.NO_BGZF_END, e.problem(), e.getMessage());
            assertEquals(cut, e.offset());
            assertTrue(e.getMessage().contains("after block " + i + " without BGZF's empty end-of-file block"), e.getMessage());
            if (i == 1 || i == starts.size() - 1) {
                assertEquals(0, gzipT(cutShort), "gzip -t passes BGZF cut at block " + i);
            }
        }
        // plain gzip after BGZF blocks: not BGZF as a whole, so no end block is due
        byte[] mixed = concat(Arrays.copyOf(whole, Math.toIntExact(starts.get(2))), gzA);
        assertArrayEquals(concat(Arrays.copyOf(inflate(whole), 2 * 0xff00), A), inflate(mixed));
    }

    // ---- damaged --------------------------------------------------------------------------------

    /// Every byte of member 2's deflate data and trailer flipped in turn: each is refused (a CRC or
    /// length byte with exactly that problem), as `gzip -t` refuses each. Member 2 of 3 is where
    /// `GZIPInputStream` stopped quietly.
    @Test
    void aFlippedByteInTheDataTheCrcOrTheLength() throws IOException {
        byte[] three = concat(gzA, gzB, gzC);
        int dataStart = gzA.length + 10;            // gzip -c from a pipe: a 10-byte header
        int trailer = gzA.length + gzB.length - 8;
        for (int at = dataStart; at < trailer + 8; at++) {
            byte[] damaged = three.clone();
            damaged[at] ^= (byte) 0xa5;
            assertEquals(1, gzipT(damaged), "gzip -t with byte " + at + " flipped");
            GzipFormatException e = refused(damaged);
            assertEquals(2, e.member(), e.getMessage());
            if (at >= trailer) {
                assertEquals(at < trailer + 4 ? Problem.BAD_CRC : Problem.BAD_LENGTH, e.problem(), e.getMessage());
            }
        }
        byte[] crc = three.clone();
        crc[trailer] ^= 1;
        assertTrue(refused(crc, "x.gz").getMessage().startsWith("x.gz: gzip member 2 (at byte " + gzA.length + " of "
                + three.length + ") is damaged: its data's CRC-32 is 0x"), refused(crc, "x.gz").getMessage());
    }

    @Test
    void badHeaders() throws IOException {
        byte[] method = concat(gzA, gzB);
        method[gzA.length + 2] = 7;
        assertEquals(1, gzipT(method));
        GzipFormatException e = refused(method);
        assertEquals(Problem.BAD_HEADER, e.problem());
        assertEquals("x.gz: gzip member 2 at byte " + gzA.length + " of " + method.length
                + " has a bad header: compression method 7, not deflate (8)", e.getMessage());

        byte[] reserved = concat(gzA, gzB);
        reserved[gzA.length + 3] = 0x20;
        assertEquals(1, gzipT(reserved));
        assertEquals(Problem.BAD_HEADER, refused(reserved).problem());

        Path f = dir.resolve("hcrc.gz");
        pythonMember(f, B, "flags = 2", "hcrc ^= 0x0100");
        assertEquals(1, GzipTool.test(f));
        byte[] badHcrc = concat(gzA, Files.readAllBytes(f));
        assertTrue(refused(badHcrc).getMessage().contains("has a bad header: its header CRC is"), refused(badHcrc).getMessage());
    }

    // ---- after the last member ------------------------------------------------------------------

    @Test
    void garbageAfterTheLastMember() throws IOException {
        byte[] junk = concat(gzA, gzB, ascii("junk"));
        assertEquals(2, gzipT(junk), "gzip -t: decompression OK, trailing garbage ignored");
        GzipFormatException e = refused(junk);
        assertEquals(Problem.TRAILING_DATA, e.problem());
        assertEquals("x.gz: bytes after gzip member 2, from byte " + (gzA.length + gzB.length) + " of " + junk.length
                + ", are not gzip (gzip -t says \"trailing garbage ignored\")", e.getMessage());

        byte[] oneMagicByte = concat(gzA, new byte[]{0x1f});
        assertEquals(1, gzipT(oneMagicByte), "gzip -t: unexpected end of file");
        assertEquals(Problem.TRUNCATED, refused(oneMagicByte).problem());
    }

    /// Zeros to the end are padding, which `gzip -t`, `zcat` and Python's gzip all accept; zeros
    /// followed by anything are refused (`gzip` would drop it, Python would read a member there).
    @Test
    void zeroPadding() throws IOException {
        byte[] padded = concat(gzA, gzB, new byte[100_000]);
        assertEquals(0, gzipT(padded));
        assertArrayEquals(concat(A, B), inflate(padded));

        byte[] thenJunk = concat(gzA, new byte[10], ascii("x"));
        assertEquals(2, gzipT(thenJunk));
        GzipFormatException e = refused(thenJunk);
        assertEquals(Problem.TRAILING_DATA, e.problem());
        assertEquals(gzA.length + 10, e.offset());

        byte[] thenMember = concat(gzA, new byte[10], gzB);
        assertEquals(2, gzipT(thenMember), "gzip ignores the member after the zeros");
        assertEquals(Problem.TRAILING_DATA, refused(thenMember).problem());
    }

    // ---- not gzip -------------------------------------------------------------------------------

    @Test
    void anEmptyStreamOrPlainTextIsNotGzip() throws IOException {
        assertEquals(1, gzipT(new byte[0]));
        assertEquals(Problem.NOT_GZIP, refused(new byte[0]).problem());
        GzipFormatException plain = refused(ascii("chr1\t1\n"));
        assertEquals(Problem.NOT_GZIP, plain.problem());
        assertEquals("x.gz: not gzip: it starts with 0x63 0x68, not 0x1f 0x8b", plain.getMessage());
    }

    @Test
    void aFailureStaysAndCloseIsIdempotent() throws IOException {
        byte[] cut = Arrays.copyOf(concat(gzA, gzB), gzA.length + 15);
        GzipStream s = new GzipStream(new ByteArrayInputStream(cut), "x.gz", cut.length, decoder());
        GzipFormatException first = assertThrows(GzipFormatException.class, s::readAllBytes);
        assertSame(first, assertThrows(GzipFormatException.class, () -> s.read(new byte[10])));
        s.close();
        s.close();
        assertThrows(IOException.class, s::read);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /// A BGZF file and the offset of each of its blocks.
    record Bgzf(Path file, List<Long> blockStarts) {
    }

    /// Writes `text` as BGZF, by hand: blocks of at most 0xff00 bytes of text (as `bgzip` cuts
    /// them), each `1f 8b 08 04 … ff`, XLEN 6, subfield `BC` of length 2 holding BSIZE, then the
    /// empty end block.
    private Bgzf bgzf(byte[] text) throws IOException {
        Path src = Files.write(Files.createTempFile(dir, "bgzf", ".txt"), text);
        Path out = dir.resolve(src.getFileName() + ".gz");
        String starts = PythonPeer.run("""
                import sys, zlib, struct, gzip
                data = open(sys.argv[1], 'rb').read()
                def block(chunk):
                    c = zlib.compressobj(6, zlib.DEFLATED, -15)
                    d = c.compress(chunk) + c.flush()
                    bsize = 12 + 6 + len(d) + 8
                    header = b'\\x1f\\x8b\\x08\\x04' + b'\\0\\0\\0\\0' + b'\\0\\xff' + struct.pack('<H', 6)
                    header += b'BC' + struct.pack('<HH', 2, bsize - 1)
                    return header + d + struct.pack('<II', zlib.crc32(chunk), len(chunk))
                blocks = [block(data[i:i + 0xff00]) for i in range(0, len(data), 0xff00)] + [block(b'')]
                assert blocks[-1].hex() == '1f8b08040000000000ff0600424302001b0003000000000000000000', blocks[-1].hex()
                out = b''.join(blocks)
                assert gzip.decompress(out) == data
                open(sys.argv[2], 'wb').write(out)
                at = 0
                for b in blocks:
                    print(at)
                    at += len(b)
                """, src.toString(), out.toString());
        return new Bgzf(out, starts.lines().map(Long::parseLong).toList());
    }

    /// Writes one member of `text` with header `flags` (a Python statement), FEXTRA with two
    /// subfields, FNAME and FCOMMENT as the flags ask, and the header CRC changed by `damage`.
    private static void pythonMember(Path file, byte[] text, String flags, String damage) throws IOException {
        Path src = Files.write(Files.createTempFile("member", ".txt"), text);
        try {
            PythonPeer.run("""
                    import sys, zlib, struct, gzip
                    data = open(sys.argv[1], 'rb').read()
                    %s
                    h = b'\\x1f\\x8b\\x08' + bytes([flags]) + b'\\x01\\x02\\x03\\x04' + b'\\x02\\x03'
                    if flags & 4:
                        extra = b'ab' + struct.pack('<H', 3) + b'xyz' + b'BC' + struct.pack('<HH', 2, 0)
                        h += struct.pack('<H', len(extra)) + extra
                    if flags & 8:
                        h += b'name.txt\\0'
                    if flags & 16:
                        h += b'a comment\\0'
                    if flags & 2:
                        hcrc = zlib.crc32(h) & 0xffff
                        %s
                        h += struct.pack('<H', hcrc)
                    c = zlib.compressobj(6, zlib.DEFLATED, -15)
                    out = h + c.compress(data) + c.flush() + struct.pack('<II', zlib.crc32(data), len(data))
                    open(sys.argv[2], 'wb').write(out)
                    """.formatted(flags, damage.isEmpty() ? "pass" : damage), src.toString(), file.toString());
        } finally {
            Files.deleteIfExists(src);
        }
    }

    private int gzipT(byte[] file) throws IOException {
        Path f = Files.write(dir.resolve("t.gz"), file);
        return GzipTool.test(f);
    }

    /// {@return the decoder the stream inflates with}: the one a [GzipStream] picks (ISA-L when it
    /// loads); [JdkGzipStreamTest] runs every test again with the JDK's
    DeflateDecoder decoder() {
        return DeflateDecoder.streaming();
    }

    byte[] inflate(byte[] gz) throws IOException {
        return inflate(gz, "x.gz");
    }

    byte[] inflate(byte[] gz, String name) throws IOException {
        try (InputStream in = new GzipStream(new ByteArrayInputStream(gz), name, gz.length, decoder())) {
            return in.readAllBytes();
        }
    }

    /// {@return everything the stream gives, read `piece` bytes at a time}
    byte[] inflate(byte[] gz, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new GzipStream(new ByteArrayInputStream(gz), "x.gz", gz.length, decoder())) {
            byte[] b = new byte[piece];
            if (piece == 1) {
                for (int x; (x = in.read()) >= 0; ) {
                    out.write(x);
                }
            } else {
                for (int n; (n = in.read(b, 0, piece)) >= 0; ) {
                    assertTrue(n > 0, "a read of " + piece + " gave 0 bytes");
                    out.write(b, 0, n);
                }
            }
        }
        return out.toByteArray();
    }

    GzipFormatException refused(byte[] gz) {
        return refused(gz, "x.gz");
    }

    GzipFormatException refused(byte[] gz, String name) {
        return assertThrows(GzipFormatException.class, () -> inflate(gz, name));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
