package io.ferry.text;

import io.ferry.dtype.DType;
import io.ferry.sample.MethylationTable;
import io.ferry.text.TextParseException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/// Every strict error names the file, the line and column (1-based), the field and the text.
class TextParseErrorTest {
    private static final DType METH = MethylationTable.DTYPE;
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();
    private static final String HEAD = "chr1\t100\t50\t1\t1\n# a comment\n\nchr1\t101\t12.5\t1\t7\n";

    @TempDir
    Path dir;

    private TextParseException fail(String content, DType dtype, LoadOptions options) throws IOException {
        Path f = dir.resolve("data3.txt");
        Files.writeString(f, content, StandardCharsets.ISO_8859_1);
        try (Arena arena = Arena.ofConfined()) {
            return assertThrows(TextParseException.class, () -> TextLoader.of(dtype, options).load(f, arena));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', textBlock = """
            OUT_OF_RANGE    ; chr1\t3000000000\t50\t1\t1         ; 6  ; field 'pos' (2 of 5) ; 3000000000 ; '3000000000' is out of range for <i4 (-2147483648..2147483647)
            OUT_OF_RANGE    ; chr1\t-2147483649\t50\t1\t1        ; 6  ; field 'pos' (2 of 5) ; -2147483649 ; '-2147483649' is out of range for <i4 (-2147483648..2147483647)
            TOO_LONG        ; chrUn_KI270302v1\t5\t50\t1\t1      ; 1  ; field 'chr' (1 of 5) ; chrUn_KI270302v1 ; 'chrUn_KI270302v1' is 16 bytes, longer than |S10
            FLOAT_OVERFLOW  ; chr1\t5\t1e39\t1\t1                ; 8  ; field 'pct' (3 of 5) ; 1e39 ; '1e39' is too large for <f4 (it would be inf)
            FLOAT_OVERFLOW  ; chr1\t5\t-3.5e38\t1\t1             ; 8  ; field 'pct' (3 of 5) ; -3.5e38 ; '-3.5e38' is too large for <f4 (it would be -inf)
            NOT_AN_INTEGER  ; chr1\t5\t50\t1.5\t1                ; 11 ; field 'c' (4 of 5) ; 1.5 ; '1.5' is not an integer (<i4)
            NOT_AN_INTEGER  ; chr1\t5\t50\t1\t2e3                ; 13 ; field 't' (5 of 5) ; 2e3 ; '2e3' is not an integer (<i4)
            NOT_AN_INTEGER  ; chr1\t5\t50\t1\tnan                ; 13 ; field 't' (5 of 5) ; nan ; 'nan' is not an integer (<i4)
            NOT_A_NUMBER    ; chr1\t5\tabc\t1\t1                 ; 8  ; field 'pct' (3 of 5) ; abc ; 'abc' is not a number (<f4)
            NOT_A_NUMBER    ; chr1\t5\t\t1\t1                    ; 8  ; field 'pct' (3 of 5) ; '' ; an empty field is not a number (<f4)
            NOT_A_NUMBER    ; chr1\t0x10\t50\t1\t1               ; 6  ; field 'pos' (2 of 5) ; 0x10 ; '0x10' is not an integer (<i4)
            NOT_A_NUMBER    ; chr1\t5\t1,5\t1\t1                 ; 8  ; field 'pct' (3 of 5) ; 1,5 ; '1,5' is not a number (<f4)
            TOO_FEW_FIELDS  ; chr1\t5\t50\t1                     ; 12 ; field 't' (5 of 5) ; chr1\t5\t50\t1 ; row has 4 fields, expected 5: 'chr1\\t5\\t50\\t1'
            TOO_MANY_FIELDS ; chr1\t5\t50\t1\t1\t9                ; 15 ; column 6 ; 9 ; '9' is one field too many: rows have 5 fields
            """)
    void strictErrors(Problem problem, String row, int column, String field, String text, String detail) throws IOException {
        String line = row.replace("\\t", "\t");
        TextParseException e = fail(HEAD + line + "\nchr2\t1\t1\t1\t1\n", METH, TAB);
        String file = dir.resolve("data3.txt").toString();
        assertEquals(file + ":5:" + column + ": " + field + ": " + detail, e.getMessage());
        assertEquals(problem, e.problem());
        assertEquals(file, e.file());
        assertEquals(5, e.line());
        assertEquals(column, e.column());
        assertEquals(field, e.field());
        assertEquals(text.equals("''") ? "" : text.replace("\\t", "\t"), e.text());
        if (problem == Problem.NOT_AN_INTEGER && !text.equals("nan")) { // numpy reads it through a float, as lenient does
            assertEquals(Optional.of("lenient=true"), e.hint().map(h -> h.option() + "=" + h.value()));
        } else {
            assertEquals(Optional.empty(), e.hint(), "no guess at a mistake in the call: the data is wrong");
        }
    }

    @Test
    void whitespaceModeCrlfAndPlainDtype() throws IOException {
        TextParseException e = fail("1 2 3\r\n4  x 6\r\n", DType.parse("f8"), LoadOptions.DEFAULT);
        assertEquals(dir.resolve("data3.txt") + ":2:4: column 2 (2 of 3): 'x' is not a number (<f8)", e.getMessage());
        e = fail("1 2 3\r\n4 5\r\n", DType.parse("f8"), LoadOptions.DEFAULT);
        assertEquals(dir.resolve("data3.txt") + ":2:4: column 3 (3 of 3): row has 2 fields, expected 3: '4 5'", e.getMessage());
        e = fail("1 2 3\n4 300 6\n", DType.parse("u1"), LoadOptions.builder().useCols(2, 1).build());
        assertEquals(dir.resolve("data3.txt") + ":2:3: column 2 (2 of 2): '300' is out of range for |u1 (0..255)",
                e.getMessage());
    }

    @Test
    void strictUseColsStillCountsFields() throws IOException {
        TextParseException e = fail("1 2 3\n4 5 6 7\n", DType.parse("i4"), LoadOptions.builder().useCols(0, 2).build());
        assertEquals(dir.resolve("data3.txt") + ":2:7: column 4: '7' is one field too many: rows have 3 fields", e.getMessage());
        // a quote left open before the last line break, which numpy reads on through
        e = fail("a,1\n\"b,2\n", DType.parse("s:S4,n:f8"), LoadOptions.builder().delimiter(',').quoteChar('"').build());
        assertEquals(dir.resolve("data3.txt") + ":2:1: field 's' (1 of 2): '\"b,2' opens a quote its line does not close"
                + " (a quoted field must end on its line: Ferry reads no quoted line breaks)", e.getMessage());
        e = fail("1,2\n3,4,\n", DType.parse("f8"), LoadOptions.builder().delimiter(',').build());
        assertEquals(dir.resolve("data3.txt") + ":2:5: column 3: an empty field is one field too many: rows have 2 fields",
                e.getMessage());
        e = fail("1 2 3\n4 5\n", DType.parse("i4"), LoadOptions.builder().useCols(0, 2).lenient(true).build());
        assertEquals(dir.resolve("data3.txt") + ":2:4: column 3 (2 of 2): usecols index 2 is out of range for this row of 2"
                + " columns: '4 5'", e.getMessage());
    }

    /// Bytes past printable ASCII are `\xNN` in a message: UTF-8 is not shown as Latin-1 look-alikes,
    /// and no control character reaches the terminal.
    @Test
    void bytesPastPrintableAsciiAreEscaped() throws IOException {
        DType st = DType.parse("s:S6,x:f8");
        String file = dir.resolve("data3.txt").toString();
        assertEquals(file + ":2:1: field 's' (1 of 2): 'x\\xe2\\x80\\x93' is not Latin-1 text, which S fields hold (|S6)",
                fail("ok 1\n" + utf8AsLatin1("x\u2013 2\n"), st, LoadOptions.DEFAULT).getMessage());
        assertEquals(file + ":1:1: field 's' (1 of 2): 'ab\\xff' is not UTF-8 text (|S6)",
                fail("ab\u00ff 1\n", st, LoadOptions.DEFAULT).getMessage());
        assertEquals(file + ":1:1: field 's' (1 of 2): 'caf\\xc3\\xa9s!' is 6 characters, longer than |S4",
                fail(utf8AsLatin1("caf\u00e9s! 1\n"), DType.parse("s:S4,x:f8"), LoadOptions.DEFAULT).getMessage());
        assertEquals(file + ":1:1: column 1 (1 of 2): '\\xef\\xbb\\xbf1' is not a number (<f8)",
                fail(utf8AsLatin1("\ufeff1,2\n"), DType.parse("f8"), LoadOptions.builder().delimiter(',').build()).getMessage());
        TextParseException e = fail("1\u0001,2\n", DType.parse("f8"), LoadOptions.builder().delimiter(',').build());
        assertEquals(file + ":1:1: column 1 (1 of 2): '1\\x01' is not a number (<f8)", e.getMessage());
        assertEquals("1\u0001", e.text(), "the text itself, unescaped");
        // a tab and a backslash before a t, as Python's repr (and np.loadtxt's error) tells them apart
        LoadOptions comma = LoadOptions.builder().delimiter(',').build();
        assertEquals(file + ":1:1: column 1 (1 of 1): '1\\t2' is not a number (<f8)", fail("1\t2\n", DType.parse("f8"), comma).getMessage());
        assertEquals(file + ":1:1: column 1 (1 of 1): '1\\\\t2' is not a number (<f8)", fail("1\\t2\n", DType.parse("f8"), comma).getMessage());
    }

    /// A column counts characters, as an editor does, where the line is UTF-8 up to it; bytes where
    /// it is not (Latin-1 text, one byte a character).
    @Test
    void columnsCountCharacters() throws IOException {
        DType st = DType.parse("s:S8,x:f8");
        LoadOptions comma = LoadOptions.builder().delimiter(',').build();
        assertEquals(4, fail(utf8AsLatin1("\u00e9\u00e9,x\n"), st, comma).column(), "x is the 4th character, the 6th byte");
        assertEquals(5, fail(utf8AsLatin1("\uD83D\uDE00 1,x\n"), DType.parse("f8"),
                LoadOptions.builder().delimiter(',').useCols(1).build()).column(), "one character past U+FFFF");
        assertEquals(3, fail(utf8AsLatin1("1 2\n3\u2003x\n"), DType.parse("f8"), LoadOptions.DEFAULT).column(),
                "a Unicode space between fields");
        assertEquals(4, fail("\u00a3\u00a3,x\n", DType.parse("f8"), LoadOptions.builder().delimiter(',').useCols(1).build())
                .column(), "Latin-1 in a column not read: a byte a character");
    }

    /// The UTF-8 bytes of `s`, as the Latin-1 string [#fail] writes back as those bytes.
    private static String utf8AsLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void readChecksItsArguments() throws IOException {
        Path f = dir.resolve("m.txt");
        MethylationTable.write(f, 10, 1);
        try (TableReader r = TextLoader.of(METH, TAB).open(f); Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(26 * 3);
            assertThrows(IllegalArgumentException.class, () -> r.read(small, 4));
            assertThrows(IllegalArgumentException.class, () -> r.read(small, -1));
            assertEquals(3, r.read(small, 3));
            assertEquals(0, r.read(small, 0));
            r.close();
            r.close(); // twice is fine
            assertThrows(IllegalStateException.class, () -> r.read(small, 1));
        }
    }

    @Test
    void everyIntegerTypeNamesItsRange() throws IOException {
        for (String t : List.of("i1", "i2", "i8", "u2", "u4", "u8", ">i2")) {
            String big = t.equals("u8") ? "18446744073709551616" : "99999999999999999999";
            TextParseException e = fail("1\n" + big + "\n", DType.parse(t), LoadOptions.DEFAULT);
            assertEquals(Problem.OUT_OF_RANGE, e.problem(), t);
            assertEquals(2, e.line());
        }
        TextParseException e = fail("-1\n", DType.parse("u8"), LoadOptions.DEFAULT);
        assertEquals(dir.resolve("data3.txt") + ":1:1: column 1 (1 of 1): '-1' is out of range for <u8 (0..18446744073709551615)",
                e.getMessage());
        e = fail("1\nTrue\n", DType.parse("b1"), LoadOptions.DEFAULT);
        assertEquals(dir.resolve("data3.txt") + ":2:1: column 1 (1 of 1): 'True' is not an integer (bool reads integers) (|b1)",
                e.getMessage());
    }

    @Test
    void lenientStillRejectsWhatNumpyRejects() throws IOException {
        LoadOptions lenient = TAB.toBuilder().lenient(true).build();
        assertEquals(Problem.TOO_FEW_FIELDS, fail(HEAD + "chr1\t5\t50\t1\n", METH, lenient).problem());
        assertEquals(Problem.TOO_MANY_FIELDS, fail(HEAD + "chr1\t5\t50\t1\t1\t1\n", METH, lenient).problem());
        assertEquals(Problem.NOT_A_NUMBER, fail(HEAD + "chr1\t5\tx\t1\t1\n", METH, lenient).problem());
    }

    @Test
    void lineNumbersInByteRangesAndGzip() throws IOException {
        Path f = dir.resolve("big.txt");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            s.append(i == 4321 ? "chr1\t7\tbad\t1\t1\n" : "chr1\t" + i + "\t50\t1\t1\n");
        }
        Files.writeString(f, s);
        TextLoader loader = TextLoader.of(METH, TAB);
        int errors = 0;
        for (ByteRange r : ByteRange.split(f, 4)) {
            try (TableReader reader = loader.open(f, r); Arena arena = Arena.ofConfined()) {
                MemorySegment chunk = arena.allocate(1000 * reader.rowBytes());
                while (reader.read(chunk, 1000) > 0) {
                    // read every row of the range
                }
            } catch (TextParseException e) {
                errors++;
                assertEquals(f + ":4322:8: field 'pct' (3 of 5): 'bad' is not a number (<f4)", e.getMessage());
            }
        }
        assertEquals(1, errors);
        Path gz = dir.resolve("big.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(f));
        }
        try (Arena arena = Arena.ofConfined()) {
            TextParseException e = assertThrows(TextParseException.class, () -> loader.load(gz, arena));
            assertEquals(gz + ":4322:8: field 'pct' (3 of 5): 'bad' is not a number (<f4)", e.getMessage());
        }
    }
}
