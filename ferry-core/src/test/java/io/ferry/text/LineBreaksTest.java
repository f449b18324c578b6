package io.ferry.text;

import io.ferry.dtype.DType;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// `\n`, `\r\n` and a lone `\r` end a line wherever they fall: across the reader's 256 KiB reads
/// (a `\r` read last may be half of a `\r\n`), and across byte ranges cut anywhere.
class LineBreaksTest {
    private static final int FIRST_READ = (1 << 18) - 16; // what the reader reads first
    private static final TextLoader LOADER = TextLoader.of(DType.parse("a:i4,b:i4"));

    @TempDir
    Path dir;

    /// A `\r\n` or a lone `\r` as the last byte of the first read, for every shift around it: the
    /// rows, and the line number of an error after it, are right (a `\r\n` split in two would
    /// count a blank line).
    @Test
    void aBreakAtTheEndOfARead() throws IOException {
        for (String brk : List.of("\r\n", "\r")) {
            for (int shift = 0; shift < 12; shift++) {
                StringBuilder s = new StringBuilder("7 8").append(" ".repeat(shift)).append(brk);
                int lines = 1;
                while (s.length() < FIRST_READ + 50) {
                    s.append(lines % 97).append(' ').append(lines).append(brk);
                    lines++;
                }
                s.append("1 x").append(brk);
                Path f = Files.writeString(dir.resolve("b" + shift + ".txt"), s, StandardCharsets.US_ASCII);
                try (Arena arena = Arena.ofConfined()) {
                    TextParseException e = assertThrows(TextParseException.class, () -> LOADER.load(f, arena));
                    assertEquals(lines + 1, e.line(), "shift " + shift + ": " + e.getMessage());
                }
                Files.writeString(f, s.substring(0, s.length() - 3 - brk.length()), StandardCharsets.US_ASCII);
                try (Arena arena = Arena.ofConfined()) {
                    assertEquals(lines, LOADER.load(f, arena).length(), "shift " + shift);
                }
            }
        }
    }

    /// Two ranges cut at every byte of a file with every kind of break read every row once.
    @Test
    void rangesCutAnywhere() throws IOException {
        String text = "1 2\r\n3 4\r5 6\n\r7 8\r\r\n9 10\n\n11 12\r";
        Path f = Files.writeString(dir.resolve("r.txt"), text, StandardCharsets.US_ASCII);
        byte[] whole = read(f, new ByteRange(0, text.length()));
        assertEquals(6 * 8, whole.length);
        for (int cut = 0; cut <= text.length(); cut++) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(read(f, new ByteRange(0, cut)));
            both.writeBytes(read(f, new ByteRange(cut, text.length())));
            assertArrayEquals(whole, both.toByteArray(), "cut at " + cut);
        }
    }

    @Test
    void linesAreCountedAsTheLoaderReadsThem() throws IOException {
        assertEquals(6, TextLoader.lines(Files.writeString(dir.resolve("a"), "1\r\n2\r3\n\r\r4")));
        assertEquals(3, TextLoader.lines(Files.writeString(dir.resolve("b"), "1\r2\r3\r")));
        assertEquals(0, TextLoader.lines(Files.writeString(dir.resolve("c"), "")));
    }

    private static byte[] read(Path f, ByteRange range) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TableReader r = LOADER.open(f, range); Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(100 * r.rowBytes());
            for (long n; (n = r.read(chunk, 100)) > 0; ) {
                out.writeBytes(chunk.asSlice(0, n * r.rowBytes()).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return out.toByteArray();
    }
}
