package io.ferry.text;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ferry.dtype.DType;
import io.ferry.gzip.GzipFormatException;
import org.junit.jupiter.api.AfterAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Fuzzes the text loader with any bytes: a file either loads or fails with a [TextParseException]
/// (or, for a file that starts like gzip, a [GzipFormatException]), and never with
/// anything else: no index out of bounds, no hang, no error of the JDK's own. Where it loads, the
/// same file read in two [ByteRange]s cut anywhere, or a few rows at a time, gives the same bytes,
/// which is what the parallel converter relies on. And the parse loop agrees with the line path
/// (numpy's tokenizer, which reads every line the loop does not take): the same bytes, or the same
/// error.
///
/// Input layout (so a corpus file is readable):
///
/// ```text
///  byte 0: options   bits 0-1 dtype, 2-3 delimiter (whitespace, tab, comma, ';'), 4 lenient, 5 maxRows,
///                    6-7 text: `#` comments, `"` quotes, `//` comments, or `#` and `@` comments
///  byte 1: where to cut the file into two ranges (0-255 of its length), and rows per read
///  rest:   the file
/// ```
///
/// `mvn test` runs the committed corpus (`src/test/resources/io/ferry/text/TextLoaderFuzzTestInputs/`);
/// `JAZZER_FUZZ=1` fuzzes for the `maxDuration` below.
@org.junit.jupiter.api.Tag("fuzz")
class TextLoaderFuzzTest {
    private static final DType[] DTYPES = {
            DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4"),
            DType.parse("<f8"),
            DType.parse("a:u1,b:S3,c:f4,d:i8"),
            DType.parse("x:>i2,y:>f8,z:b1"),
    };
    private static final char[] DELIMITERS = {0, '\t', ',', ';'};
    private static final Path FILE = temporaryFile();

    @AfterAll
    static void removeFile() throws IOException {
        Files.deleteIfExists(FILE);
    }

    @FuzzTest(maxDuration = "30s")
    void loadsOrRefusesAndRangesAgree(byte[] input) throws IOException {
        if (input.length < 2) {
            return;
        }
        int opts = input[0] & 0xff;
        int cut = input[1] & 0xff;
        byte[] text = Arrays.copyOfRange(input, 2, input.length);
        DType dtype = DTYPES[opts & 3];
        LoadOptions.Builder b = LoadOptions.builder().lenient((opts & 16) != 0);
        char delimiter = DELIMITERS[(opts >> 2) & 3];
        if (delimiter != 0) {
            b.delimiter(delimiter);
        }
        boolean maxRows = (opts & 32) != 0;
        if (maxRows) {
            b.maxRows(cut % 5);
        }
        switch (opts >> 6) {
            case 1 -> b.quoteChar('"');
            case 2 -> b.comments("//");
            case 3 -> b.comments("#", "@");
            default -> { } // numpy's default, '#'
        }
        TextLoader loader = TextLoader.of(dtype, b.build());
        Files.write(FILE, text);
        boolean gzip = text.length >= 2 && (text[0] & 0xff) == 0x1f && (text[1] & 0xff) == 0x8b;

        byte[] whole;
        try {
            whole = read(loader, null, Integer.MAX_VALUE);
        } catch (TextParseException refused) {
            TextParseException same = assertThrows(TextParseException.class, () -> readLinePathOnly(loader));
            assertEquals(refused.getMessage(), same.getMessage(), "the line path refuses it alike");
            return;
        } catch (GzipFormatException corrupt) {
            if (gzip) {
                return;
            }
            throw corrupt;
        } catch (io.ferry.FerryException binary) {
            // its first bytes are a format Ferry does not read (bzip2, xz, zstd, zip, HDF5): the
            // reader refuses it as that format, by the check a run makes before any work
            assertTrue(binary.getMessage().startsWith(FILE + ": is "), binary.getMessage());
            io.ferry.FerryException same = assertThrows(io.ferry.FerryException.class, () -> readLinePathOnly(loader));
            assertEquals(binary.getMessage(), same.getMessage(), "the line path refuses it alike");
            return;
        }
        assertArrayEquals(whole, read(loader, null, 1 + cut % 3), "read a few rows at a time");
        assertArrayEquals(whole, readLinePathOnly(loader), "the line path reads the same");
        if (!gzip && !maxRows) {
            long k = (long) text.length * cut / 255;
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(read(loader, new ByteRange(0, k), Integer.MAX_VALUE));
            both.writeBytes(read(loader, new ByteRange(k, text.length), Integer.MAX_VALUE));
            assertArrayEquals(whole, both.toByteArray(), "two ranges cut at byte " + k);
        }
    }

    /// {@return the rows of the file (or of `range`), read `rowsPerRead` at a time}
    private static byte[] read(TextLoader loader, ByteRange range, int rowsPerRead) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TableReader r = range == null ? loader.open(FILE) : loader.open(FILE, range);
             Arena arena = Arena.ofConfined()) {
            long rowBytes = r.rowBytes();
            if (rowBytes == 0) {
                return new byte[0];
            }
            long rows = Math.min(rowsPerRead, 4096);
            MemorySegment target = arena.allocate(rows * rowBytes);
            for (long n; (n = r.read(target, rows)) > 0; ) {
                out.writeBytes(target.asSlice(0, n * rowBytes).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return out.toByteArray();
    }

    private static byte[] readLinePathOnly(TextLoader loader) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TableReader r = loader.openLinePathOnly(FILE); Arena arena = Arena.ofConfined()) {
            long rowBytes = r.rowBytes();
            if (rowBytes == 0) {
                return new byte[0];
            }
            MemorySegment target = arena.allocate(4096 * rowBytes);
            for (long n; (n = r.read(target, 4096)) > 0; ) {
                out.writeBytes(target.asSlice(0, n * rowBytes).toArray(ValueLayout.JAVA_BYTE));
            }
        }
        return out.toByteArray();
    }

    private static Path temporaryFile() {
        try {
            return Files.createTempFile("ferry-fuzz", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
