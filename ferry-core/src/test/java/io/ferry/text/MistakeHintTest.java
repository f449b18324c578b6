package io.ferry.text;

import io.ferry.Hint;
import io.ferry.dtype.DType;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// The mistakes people make calling the loader, guessed from the text: a header line (skip it),
/// a wrong delimiter (use the one the text holds), and no guess where the data itself is wrong.
/// Each guess is taken in the test too: the call it suggests reads the file.
class MistakeHintTest {
    private static final DType METH = MethylationTable.DTYPE;
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();
    private static final String ROWS = "chr1\t10\t1.5\t3\t4\nchr2\t20\t2.5\t5\t6\n";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        return Files.writeString(dir.resolve("t.txt"), content, StandardCharsets.ISO_8859_1);
    }

    private static TextParseException fail(Path f, DType dtype, LoadOptions options) {
        try (Arena arena = Arena.ofConfined()) {
            return assertThrows(TextParseException.class, () -> TextLoader.of(dtype, options).load(f, arena));
        }
    }

    private static long rows(Path f, DType dtype, LoadOptions options) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            return TextLoader.of(dtype, options).load(f, arena).length();
        }
    }

    @Test
    void aHeaderOnTheFirstRowIsToBeSkipped() throws IOException {
        Path f = file("chr\tpos\tpct\tc\tt\n" + ROWS);
        TextParseException e = fail(f, METH, TAB);
        assertEquals(f + ":1:5: field 'pos' (2 of 5): 'pos' is not an integer (<i4)", e.getMessage());
        assertEquals(Optional.of(new Hint("line 1 looks like a header (names where values go)", "skiprows", "1")), e.hint());
        assertEquals(2, rows(f, METH, TAB.toBuilder().skipRows(1).build()));
    }

    @Test
    void theFirstRowIsCountedAfterSkippedCommentAndBlankLines() throws IOException {
        Path f = file("# made by hand\n\nchr\tpos\tpct\tc\tt\n" + ROWS);
        assertEquals(Optional.of(new Hint("line 3 looks like a header (names where values go)", "skiprows", "3")),
                fail(f, METH, TAB).hint());
        assertEquals(2, rows(f, METH, TAB.toBuilder().skipRows(3).build()));
        Path twoLines = file("sample 7\nchr\tpos\tpct\tc\tt\n" + ROWS);   // a header of two lines; one skipped
        assertEquals(Optional.of(new Hint("line 2 looks like a header (names where values go)", "skiprows", "2")),
                fail(twoLines, METH, TAB.toBuilder().skipRows(1).build()).hint());
    }

    /// numpy's default dtype, float, on a table with a name column: the first row is data, and the
    /// hint used to call it a header, then the next row, as far as one followed it. The fix is to
    /// read the number columns; with a structured dtype (a field to retype) no guess is made.
    @Test
    void aTextColumnUnderANumberDtypeIsLeftOutNotSkipped() throws IOException {
        Path f = file(ROWS);
        DType f8 = DType.parse("f8");
        Hint numbers = new Hint("column 1 holds text, and a number dtype reads numbers only (give text an S<n> field"
                + " of a structured dtype to keep it)", "usecols", "1,2,3,4");
        assertEquals(Optional.of(numbers), fail(f, f8, TAB).hint());
        assertEquals(Optional.of(numbers), fail(f, f8, TAB.toBuilder().skipRows(1).build()).hint(), "not a header either");
        assertEquals(2, rows(f, f8, TAB.toBuilder().useCols(1, 2, 3, 4).build()));
        Path spaced = file("a 1 b 2\nc 3 d 4\n");
        assertEquals("columns 1, 3 hold text", fail(spaced, f8, LoadOptions.DEFAULT).hint().orElseThrow().reason()
                .substring(0, "columns 1, 3 hold text".length()));
        assertEquals("1,3", fail(spaced, f8, LoadOptions.DEFAULT).hint().orElseThrow().value());
        assertEquals(Optional.empty(), fail(f, DType.parse("chr:f8,pos:i4,pct:f4,c:i4,t:i4"), TAB).hint());
        // a number in a spelling numpy does not read is not text: the hint told to leave the column out
        for (String odd : new String[]{"0x1A 2\n", "1.0d3 2\n", "-2e 3\n"}) {
            assertEquals(Optional.empty(), fail(file(odd), f8, LoadOptions.DEFAULT).hint(), odd);
        }
    }

    /// A word under a plain number dtype after the first row is a missing value or a typo: the
    /// rows before read numbers in that column, which the hint told to leave out.
    @Test
    void aWordAfterTheFirstRowIsNoTextColumn() throws IOException {
        DType f8 = DType.parse("f8");
        assertEquals(Optional.empty(), fail(file("1 2 3\n4 5 6\n7 8 NA\n"), f8, LoadOptions.DEFAULT).hint());
        assertEquals(Optional.empty(), fail(file("# x\n1 2 3\n7 8 NA\n"), f8, LoadOptions.DEFAULT).hint());
        assertEquals("usecols", fail(file("# x\n1 2 NA\n7 8 9\n"), f8, LoadOptions.DEFAULT).hint().orElseThrow().option());
    }

    @Test
    void aGzipFilesHeaderToo() throws IOException {
        Path gz = dir.resolve("t.txt.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(("chr\tpos\tpct\tc\tt\n" + ROWS).getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("skiprows", fail(gz, METH, TAB).hint().orElseThrow().option());
    }

    @Test
    void aWordAfterTheFirstRowIsBadDataNotAHeader() throws IOException {
        assertEquals(Optional.empty(), fail(file(ROWS + "chr\tpos\tpct\tc\tt\n"), METH, TAB).hint());
        // numpy's words for numbers, which an integer field refuses, are no header either
        assertEquals(Optional.empty(), fail(file("chr1\tnan\t1.5\t3\t4\n"), METH, TAB).hint());
        assertEquals(Optional.empty(), fail(file("chr1\t-inf\t1.5\t3\t4\n"), METH, TAB).hint());
    }

    /// A delimiter is suggested only where the pieces it makes are numbers: `# h` under
    /// `comments=None` split at its space is no row of numbers (the hint said to leave the
    /// delimiter out, and that call failed too); the comment is what to give.
    @Test
    void aCommentLineUnderNoCommentsNamesTheComment() throws IOException {
        LoadOptions noComments = LoadOptions.builder().delimiter(',').noComments().build();
        Hint h = fail(file("# h\n1,2\n"), DType.parse("i4"), noComments).hint().orElseThrow();
        assertEquals("comments=#", h.option() + "=" + h.value());
        assertEquals(Optional.empty(), fail(file("1\na b\n"), DType.parse("f8"), LoadOptions.builder().delimiter(',').build())
                .hint(), "words apart are no numbers either");
        assertEquals("delimiter=null", fail(file("1 2\n"), DType.parse("f8"), LoadOptions.builder().delimiter(',').build())
                .hint().map(x -> x.option() + "=" + x.value()).orElseThrow(), "numbers apart: the hint stays");
    }

    /// Rows of other lengths under usecols: numpy reads them when each holds the columns picked,
    /// as lenient does; strict Ferry refuses them, and the hint says so, and that a negative column
    /// counts from each row's own end. Not where a row lacks a picked column (numpy refuses it too).
    @Test
    void rowsOfOtherLengthsUnderUsecolsNameLenient() throws IOException {
        DType f8 = DType.parse("f8");
        String lenient = "lenient=true";
        LoadOptions first2 = LoadOptions.builder().useCols(0, 1).build();
        assertEquals(Optional.of(lenient), fail(file("1 2 3\n4 5\n"), f8, first2).hint().map(h -> h.option() + "=" + h.value()));
        assertEquals(Optional.of(lenient), fail(file("1 2 3\n4 5 6 7\n"), f8, first2).hint().map(h -> h.option() + "=" + h.value()));
        assertEquals(Optional.empty(), fail(file("1 2 3\n4 5\n"), f8, LoadOptions.builder().useCols(0, 2).lenient(false).build()).hint());
        Hint fromTheEnd = fail(file("1 2 3\n4 5 6 7\n"), f8, LoadOptions.builder().useCols(0, -1).build()).hint().orElseThrow();
        assertEquals(lenient, fromTheEnd.option() + "=" + fromTheEnd.value());
        assertTrue(fromTheEnd.reason().contains("from each row's own end"), fromTheEnd.reason());
        assertEquals(Optional.of(lenient), fail(file("1 2\n3\n"), DType.parse("i4"), LoadOptions.builder().useCols(-1).build())
                .hint().map(h -> h.option() + "=" + h.value()), "numpy reads 2 and 3");
        assertEquals(Optional.empty(), fail(file("1 2 3\n4 5\n"), f8, LoadOptions.builder().useCols(-3).build()).hint(),
                "no column -3 in the second row: numpy refuses it too");
        assertEquals(Optional.empty(), fail(file("1 2 3\n4 5\n"), f8, LoadOptions.DEFAULT).hint(), "no usecols: every column is read");
    }

    /// numpy reads `1.5` into an int as 1, through a float: lenient reads it so, and the hint says
    /// so; not where numpy's value is C's cast of nan, inf or a number past the type's range.
    @Test
    void aNumberWithAFractionInAnIntegerFieldNamesLenient() throws IOException {
        String lenient = "lenient=true";
        for (String n : new String[]{"1.5", "1e3", "-2147483648.9", "2147483647.5"}) {
            assertEquals(Optional.of(lenient), fail(file("1 " + n + "\n"), DType.parse("i4"), LoadOptions.DEFAULT)
                    .hint().map(h -> h.option() + "=" + h.value()), n);
        }
        assertEquals(Optional.of(lenient), fail(file("1 1.8e19\n"), DType.parse("u8"), LoadOptions.DEFAULT)
                .hint().map(h -> h.option() + "=" + h.value()));
        for (String n : new String[]{"nan", "inf", "2147483648.0", "-2147483649.0", "1e10"}) {
            assertEquals(Optional.empty(), fail(file("1 " + n + "\n"), DType.parse("i4"), LoadOptions.DEFAULT).hint(), n);
        }
        assertEquals(Optional.empty(), fail(file("1 -1.5\n"), DType.parse("u2"), LoadOptions.DEFAULT).hint(), "-1 is no u2");
        assertEquals(Optional.empty(), fail(file("1 1.0\n"), DType.parse("?"), LoadOptions.DEFAULT).hint(), "a bool");
    }

    @Test
    void aWordAfterTheFirstRowsNumbersIsBadDataNotAHeader() throws IOException {
        // pos was read as a number: the row is data, the word in pct a bad value
        TextParseException e = fail(file("chr1\t10\tx\t3\t4\n" + ROWS), METH, TAB);
        assertEquals("field 'pct' (3 of 5)", e.field(), e.getMessage());
        assertEquals(Optional.empty(), e.hint(), e.getMessage());
        // a header's first number field still fails first, whatever columns the call reads
        Path header = file("chr\tpos\tpct\tc\tt\n" + ROWS);
        LoadOptions usecols = TAB.toBuilder().useCols(3, 1).build();
        DType two = DType.parse("c:i4,pos:i4");
        assertEquals(Optional.of(new Hint("line 1 looks like a header (names where values go)", "skiprows", "1")),
                fail(header, two, usecols).hint());
    }

    @Test
    void aByteRangeAfterTheFilesStartHasNoHeader() throws IOException {
        Path f = file(ROWS + "chr\tpos\tpct\tc\tt\n" + ROWS);
        long second = ROWS.length();
        try (TableReader r = TextLoader.of(METH, TAB).open(f, new ByteRange(second - 1, Files.size(f)));
             Arena arena = Arena.ofConfined()) {
            MemorySegment target = arena.allocate(METH.itemSize() * 16);
            TextParseException e = assertThrows(TextParseException.class, () -> r.read(target, 16));
            assertEquals(3, e.line());
            assertEquals(Optional.empty(), e.hint(), "line 3 is not the file's first row");
        }
    }

    @Test
    void aLineThatHoldsAnotherDelimiter() throws IOException {
        Path tsv = file(ROWS);
        TextParseException e = fail(tsv, METH, LoadOptions.builder().delimiter(',').build());
        assertEquals(Optional.of(new Hint("the line holds tabs, which do not separate fields now", "delimiter", "\t")),
                e.hint());
        Path csv = file(ROWS.replace('\t', ','));
        assertEquals(Optional.of(new Hint("the line holds commas, which do not separate fields without a delimiter",
                "delimiter", ",")), fail(csv, METH, LoadOptions.DEFAULT).hint());
        assertEquals(2, rows(csv, METH, LoadOptions.builder().delimiter(',').build()));
        Path semicolons = file(ROWS.replace('\t', ';'));
        assertEquals(";", fail(semicolons, METH, TAB).hint().orElseThrow().value());
        Path pipes = file(ROWS.replace('\t', '|'));
        assertEquals("the line holds '|' characters, which do not separate fields now",
                fail(pipes, METH, TAB).hint().orElseThrow().reason());
    }

    @Test
    void spacesWithADelimiterGivenMeanLeaveItOut() throws IOException {
        Path spaced = file(ROWS.replace("\t", "  "));
        Hint hint = fail(spaced, METH, TAB).hint().orElseThrow();
        assertTrue(hint.leavesOut() && hint.option().equals("delimiter"), hint.toString());
        assertEquals(2, rows(spaced, METH, LoadOptions.DEFAULT));
    }

    @Test
    void rowsReadAsOneFieldHoldingCommas() throws IOException {
        Path f = file("1,2,3\n4,5,6\n");
        TextParseException e = fail(f, DType.parse("f8"), LoadOptions.DEFAULT);
        assertEquals(f + ":1:1: column 1 (1 of 1): '1,2,3' is not a number (<f8)", e.getMessage());
        assertEquals(Optional.of(new Hint("the field holds commas, which do not separate fields without a delimiter",
                "delimiter", ",")), e.hint());
    }

    @Test
    void noGuessWhereTheTextGivesTooLittle() throws IOException {
        // a decimal comma among the row's fields is a value, not a delimiter
        assertEquals(Optional.empty(), fail(file("chr1\t10\t1,5\t3\t4\n"), METH, TAB).hint());
        // too few commas for the row's fields: splitting at them would not help
        assertEquals(Optional.empty(), fail(file("chr1\t10,5\t3\n"), METH, TAB).hint());
    }

    @Test
    void aLineOverTheLimitIsToBeReadWithALargerOneUpToTheLargest() throws IOException {
        Path f = file("1\n" + "2".repeat((1 << 20) + 10) + "\n");
        LoadOptions smallest = LoadOptions.builder().maxLineBytes(LoadOptions.MIN_MAX_LINE_BYTES).build();
        assertEquals(Optional.of(new Hint("a line is longer than the limit, which keeps a worker's memory bounded",
                "max_line_bytes", "4M")), fail(f, DType.parse("f8"), smallest).hint());
        assertEquals("1G", LikelyMistakes.lineLimit(512L << 20).value());
        assertEquals(null, LikelyMistakes.lineLimit(LoadOptions.MAX_MAX_LINE_BYTES), "no larger limit to set");
    }

    /// [Hint]'s doc example, as written there.
    @Test
    void hintDocExample() {
        Hint h = new Hint("line 1 looks like a header (names where values go)", "skiprows", "1");
        assertTrue(h.option().equals("skiprows") && h.value().equals("1"));
        Hint whitespace = new Hint("the line holds spaces, which do not separate its fields now", "delimiter", null);
        assertTrue(whitespace.leavesOut());
    }
}
