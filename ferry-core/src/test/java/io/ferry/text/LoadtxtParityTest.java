package io.ferry.text;

import io.ferry.dtype.DType;
import io.ferry.sample.MethylationTable;
import io.ferry.text.NumpyLoadtxt.Expect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/// Ferry's bytes equal `np.loadtxt(…, ndmin=1).tobytes()` for the same file and options, on
/// generated tables and on hand-written tricky text.
class LoadtxtParityTest {
    private static final String METH = "chr:S10,pos:i4,pct:f4,c:i4,t:i4";
    private static final LoadOptions TAB = LoadOptions.builder().delimiter('\t').build();

    @TempDir
    Path dir;

    private final List<NumpyLoadtxt.Case> cases = new ArrayList<>();
    private int files;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("t" + files++ + ".txt");
        Files.write(f, content.getBytes(StandardCharsets.ISO_8859_1));
        return f;
    }

    private void add(String name, String content, String dtype, String kwargs, LoadOptions options) throws IOException {
        cases.add(new NumpyLoadtxt.Case(name, file(content), DType.parse(dtype), kwargs, options));
    }

    private void add(String name, Path file, String dtype, String kwargs, LoadOptions options) {
        cases.add(new NumpyLoadtxt.Case(name, file, DType.parse(dtype), kwargs, options));
    }

    private void check() throws IOException {
        NumpyLoadtxt.assertAsNumpy(cases, dir);
    }

    private Path utf8(String content) throws IOException {
        Path f = dir.resolve("t" + files++ + ".txt");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    private void same(String name, Path file, String dtype, String kwargs, Supplier<LoadOptions> options) {
        cases.add(new NumpyLoadtxt.Case(name, file, DType.parse(dtype), kwargs, options, Expect.SAME, 0, false));
    }

    private void refused(String name, Path file, String dtype, String kwargs, Supplier<LoadOptions> options, long line) {
        cases.add(new NumpyLoadtxt.Case(name, file, DType.parse(dtype), kwargs, options, Expect.REFUSED, line, false));
    }

    private void optionsRefused(String name, Path file, String kwargs, Supplier<LoadOptions> options) {
        optionsRefused(name, file, "f8", kwargs, options);
    }

    private void optionsRefused(String name, Path file, String dtype, String kwargs, Supplier<LoadOptions> options) {
        cases.add(new NumpyLoadtxt.Case(name, file, DType.parse(dtype), kwargs, options, Expect.OPTIONS_REFUSED, 0, false));
    }

    private static LoadOptions.Builder b() {
        return LoadOptions.builder();
    }

    @Test
    void generatedTables() throws IOException {
        Path plain = dir.resolve("meth.txt");
        MethylationTable.write(plain, 40_000, 7); // about 1 MB: lines cross the reader's buffer boundaries
        Path gz = dir.resolve("meth.txt.gz");
        MethylationTable.write(gz, 5000, 8, true);
        Path cat = dir.resolve("cat.gz"); // two gzip members, as `cat a.gz b.gz` makes
        Path second = dir.resolve("second.gz");
        MethylationTable.write(second, 777, 9, true);
        Files.write(cat, concat(Files.readAllBytes(gz), Files.readAllBytes(second)));
        String text = Files.readString(plain);
        Path comma = file(text.replace('\t', ','));
        Path semi = file(text.replace('\t', ';'));
        Path spaces = file(text.replace("\t", "  "));

        add("structured, whitespace", plain, METH, "", LoadOptions.DEFAULT);
        add("structured, tab", plain, METH, "delimiter='\\t'", TAB);
        add("structured, gz", gz, METH, "delimiter='\\t'", TAB);
        add("structured, concatenated gz", cat, METH, "", LoadOptions.DEFAULT);
        add("structured, comma", comma, METH, "delimiter=','", LoadOptions.builder().delimiter(',').build());
        add("structured, semicolon", semi, METH, "delimiter=';'", LoadOptions.builder().delimiter(';').build());
        add("structured, runs of spaces", spaces, METH, "", LoadOptions.DEFAULT);
        add("usecols reordered", plain, "c:i8,chr:S4,pct:f8", "delimiter='\\t', usecols=(3, 0, 2)",
                TAB.toBuilder().useCols(3, 0, 2).lenient(true).build());
        add("plain f8 usecols", plain, "f8", "usecols=(1, 2, 3, 4)", LoadOptions.builder().useCols(1, 2, 3, 4).build());
        add("plain f4 one column", plain, "f4", "usecols=(2,)", LoadOptions.builder().useCols(2).build());
        add("plain i4 negative usecols", plain, ">i4", "usecols=(-1, -2)", LoadOptions.builder().useCols(-1, -2).build());
        add("plain u2 gz", gz, "u2", "usecols=(3, 4)", LoadOptions.builder().useCols(3, 4).build());
        add("skiprows and max_rows", plain, METH, "skiprows=17, max_rows=1000",
                LoadOptions.builder().skipRows(17).maxRows(1000).build());
        add("max_rows 0", plain, METH, "max_rows=0", LoadOptions.builder().maxRows(0).build());
        add("big-endian record", plain, "chr:S5,pos:>i8,pct:>f8,c:>u2,t:>i2", "", LoadOptions.DEFAULT);
        check();
    }

    @Test
    void lineStructure() throws IOException {
        String s = "a:S3,b:i4,c:f8";
        add("comments and blank lines", "# head\n\na 1 2.5 # tail\n   \n\t\nb 2 3 #\n#\nc 3 4\n", s, "", LoadOptions.DEFAULT);
        add("CRLF", "a 1 2\r\nb 2 3\r\n", s, "", LoadOptions.DEFAULT);
        add("CRLF delimited", "a,1,2\r\nb,2,3\r\n", s, "delimiter=','", LoadOptions.builder().delimiter(',').build());
        add("no final newline", "a 1 2\nb 2 3", s, "", LoadOptions.DEFAULT);
        add("no final newline CRLF", "a 1 2\r\nb 2 3\r", s, "", LoadOptions.DEFAULT);
        add("one line", "abc -7 1e5\n", s, "", LoadOptions.DEFAULT);
        add("empty file", "", s, "", LoadOptions.DEFAULT);
        add("only comments", "# nothing\n\n#\n", s, "", LoadOptions.DEFAULT);
        add("empty plain", "", "f8", "", LoadOptions.DEFAULT);
        add("leading and trailing whitespace", "  \t a \t 1\t 2  \n\u000bb\u000c2\u000c3\u001c\n", s, "", LoadOptions.DEFAULT);
        add("other comment char", "a 1 2 % x\n%y\nb 2 3\n", s, "comments='%'", LoadOptions.builder().comments('%').build());
        add("no comments", "a# 1 2\n", s, "comments=None", LoadOptions.builder().noComments().build());
        add("skiprows counts comments", "#x\n\nz 9 9\na 1 2\n#c\nb 2 3\n", s, "skiprows=3",
                LoadOptions.builder().skipRows(3).build());
        add("skiprows past the end", "a 1 2\n", s, "skiprows=5", LoadOptions.builder().skipRows(5).build());
        add("max_rows counts data rows", "a 1 2\n#c\n\nb 2 3\nc 3 4\n", s, "max_rows=2",
                LoadOptions.builder().maxRows(2).build());
        add("delimited spaces kept in strings", " ab,1, 2 \nc ,2 ,3\n", "a:S3,b:i4,c:f8", "delimiter=','",
                LoadOptions.builder().delimiter(',').build());
        add("delimiter with trailing comment", "ab,1,2 # x\n", s, "delimiter=','", LoadOptions.builder().delimiter(',').build());
        add("empty string field", ",1,2\n", s, "delimiter=','", LoadOptions.builder().delimiter(',').build());
        add("tab delimiter with spaces", "a b\t 1 \t2\n", "a:S3,b:i4,c:f8", "delimiter='\\t'", TAB);
        add("space delimiter", "a 1 2\n", s, "delimiter=' '", LoadOptions.builder().delimiter(' ').build());
        add("plain 2-D", "1 2 3\n4 5 6\n", "f8", "", LoadOptions.DEFAULT);
        add("plain one row", "1 2 3\n", "i2", "", LoadOptions.DEFAULT);
        add("plain one column", "1\n2\n3\n", "u1", "", LoadOptions.DEFAULT);
        add("strings exactly n bytes", "abcdefghij 1 1\nabcdefghi 2 2\na 3 3\n", "a:S10,b:i4,c:f8", "", LoadOptions.DEFAULT);
        add("S1", "x 1 1\n", "a:S1,b:i4,c:f8", "", LoadOptions.DEFAULT);
        add("usecols, extra columns", "1 2 3\n4 5 6 7\n", "i4", "usecols=(0, 2)",
                LoadOptions.builder().useCols(0, 2).lenient(true).build());
        add("plain S3", "ab cde f\ngh i jkl\n", "S3", "", LoadOptions.DEFAULT);
        add("structured with bool and u8", "1 x 18446744073709551615\n0 y 0\n", "a:b1,b:S1,c:u8", "", LoadOptions.DEFAULT);
        add("comment char with delimiter", "a;1;2 % x\n% y\nb;2;3\n", s, "delimiter=';', comments='%'",
                LoadOptions.builder().delimiter(';').comments('%').build());
        String huge = "x".repeat(700_000); // longer than the reader's buffer
        add("a line longer than the buffer", "1 " + huge + " 2\n3 y 4\n5 " + huge + " 6\n", "i8", "usecols=(0, 2)",
                LoadOptions.builder().useCols(0, 2).lenient(true).build());
        add("a long string truncated", "1 " + huge + " 2\n", "a:i2,b:S4,c:f4", "", LoadOptions.builder().lenient(true).build());
        check();
    }

    @Test
    void numbers() throws IOException {
        add("signs", "+1 -1 +0 -0 007 -007\n", "i4", "", LoadOptions.DEFAULT);
        add("float forms", ".5 5. -.5 +5. 1e3 1E-3 1.5e+10 -2.5E-300 0 -0 -0.0 00012.500\n", "f8", "", LoadOptions.DEFAULT);
        add("float forms f4", ".5 5. -.5 +5. 1e3 1E-3 1.5e+10 -2.5E-30 0 -0 -0.0 00012.500\n", "f4", "", LoadOptions.DEFAULT);
        String specials = "nan NaN NAN -nan +nan -NaN inf INF Inf -inf +inf infinity INFINITY -Infinity +iNfInItY\n";
        add("nan and inf f8", specials, "f8", "", LoadOptions.DEFAULT);
        add("nan and inf f4", specials, "f4", "", LoadOptions.DEFAULT);
        add("nan and inf >f4", specials, ">f4", "", LoadOptions.DEFAULT);
        // float32 halfway cases: the doubles 1+2^-24 and 1+3*2^-24 round to even; 16777217 too
        add("f4 halfway", "1.000000059604644775390625 1.000000178813934326171875 16777217 16777219 "
                + "0.100000001490116119384765625 3.4028234663852886e38\n", "f4", "", LoadOptions.DEFAULT);
        // numpy rounds the float64 to float32 (two roundings): this one differs from one rounding
        add("f4 double rounding", "1.00000005960464477539062500001 1.0000000596046447753906249\n", "f4", "", LoadOptions.DEFAULT);
        add("f4 near FLT_MAX", "3.4028234e38 3.4028235e38 -3.4028235e38 3.40282356e38 3.4028235677973362e38\n", "f4", "",
                LoadOptions.DEFAULT);
        add("subnormals f8", "4.9e-324 2.4703282292062328e-324 2.2250738585072009e-308 1e-310 -5e-324 1e-400\n", "f8", "",
                LoadOptions.DEFAULT);
        add("subnormals f4", "1.4e-45 7.006492321624085e-46 1.1754942e-38 1e-40 -1e-45 1e-50\n", "f4", "", LoadOptions.DEFAULT);
        add("long mantissas", "0.1000000000000000055511151231257827 123456789012345678901234567890 "
                + "3.14159265358979323846264338327950288 1e22 1e23 9007199254740993 0.000000000000000000001234\n", "f8", "",
                LoadOptions.DEFAULT);
        add("f8 extremes", "1.7976931348623157e308 -1.7976931348623157e308 2.2250738585072014e-308\n", "f8", "",
                LoadOptions.DEFAULT);
        add("bool", "0 1 2 -1 +0 -0 9223372036854775807 -9223372036854775808\n", "b1", "", LoadOptions.DEFAULT);
        int[] sizes = {1, 2, 4, 8};
        for (int n : sizes) {
            long max = n == 8 ? Long.MAX_VALUE : (1L << (8 * n - 1)) - 1;
            long min = n == 8 ? Long.MIN_VALUE : -(1L << (8 * n - 1));
            add("i" + n + " extremes", min + " " + max + " 0 -1 1\n", "i" + n, "", LoadOptions.DEFAULT);
            add(">i" + n + " extremes", min + " " + max + " 0 -1 1\n", ">i" + n, "", LoadOptions.DEFAULT);
            String umax = n == 8 ? "18446744073709551615" : Long.toString((1L << (8 * n)) - 1);
            add("u" + n + " extremes", "0 " + umax + " -0 +1\n", "u" + n, "", LoadOptions.DEFAULT);
            add(">u" + n + " extremes", "0 " + umax + " -0 +1\n", ">u" + n, "", LoadOptions.DEFAULT);
        }
        add("long integers", "00000000000000000000000000012 -0000000000000000000000009223372036854775808\n", "i8", "",
                LoadOptions.DEFAULT);
        add("u8 above 2^63", "9223372036854775808 18446744073709551614\n", "u8", "", LoadOptions.DEFAULT);
        check();
    }

    @Test
    void lenientMatchesNumpy() throws IOException {
        LoadOptions lenient = LoadOptions.builder().lenient(true).build();
        add("truncated strings", "abcdefgh 1\nxy 2\n", "a:S3,b:i4", "", lenient);
        // numpy cuts first: what is past the field need not be Latin-1 (found by RandomTextParityTest)
        add("a string cut before its euro", utf8("_Z\u00ff\u20ac\u20ac1 1\nab\u20ac 2\n\u00e9\u00e9\u00e9\u20ac 3\n"), "a:S2,b:i4",
                "", lenient);
        String wild = "3000000000 -2147483649 1.5 -1.9 1e3 1.5e10 nan -nan inf -inf 300 -129 255 -1 70000 -3.5 1e19 -1e19"
                + " 18446744073709551616 9223372036854775808 -9223372036854775809 4294967296 -3e9 5e9 1e-5 -0.9\n";
        for (String t : List.of("i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", ">i4", ">u8")) {
            add("wrapped " + t, wild, t, "", lenient);
        }
        add("f4 overflow to inf", "3.5e38 -1e39 1e400 3.4028236e38 3.4028235677973366e38\n", "f4", "", lenient);
        add("f8 overflow to inf", "1e309 -1e400\n", "f8", "", lenient);
        add("bool in lenient mode", "0 5 -7\n", "b1", "", lenient);
        check();
    }

    /// Values numpy gives that Ferry got wrong without an error: now numpy's values, or an error
    /// naming file and line.
    @Test
    void usecolsPastTheRowAndPerRow() throws IOException {
        for (boolean lenient : new boolean[]{false, true}) {
            String mode = lenient ? ", lenient" : "";
            Path two = file("1 2\n3 4\n");
            refused("usecols 2 of 2 columns" + mode, two, "f8", "usecols=2", () -> b().useCols(2).lenient(lenient).build(), 1);
            refused("usecols 1,2 of 2 columns" + mode, two, "f8", "usecols=(1, 2)",
                    () -> b().useCols(1, 2).lenient(lenient).build(), 1);
            refused("usecols 2 of 2 delimited columns" + mode, file("1,2\n3,4\n"), "f8", "delimiter=',', usecols=2",
                    () -> b().delimiter(',').useCols(2).lenient(lenient).build(), 1);
            refused("usecols past the row, structured" + mode, file("a 2\nb 4\n"), "s:S3,x:f8", "usecols=(0, 2)",
                    () -> b().useCols(0, 2).lenient(lenient).build(), 1);
            refused("usecols -3 of 2 columns" + mode, two, "f8", "usecols=-3", () -> b().useCols(-3).lenient(lenient).build(), 1);
            refused("a later row too short for usecols" + mode, file("1 2 3\n4 5\n"), "f8", "usecols=(0, 2)",
                    () -> b().useCols(0, 2).lenient(lenient).build(), 2);
            same("usecols past the row, no rows read" + mode, two, "f8", "usecols=(0, 5), max_rows=0",
                    () -> b().useCols(0, 5).maxRows(0).lenient(lenient).build());
        }
        Path ragged = file("1 2 3\n4 5 6 7\n");
        same("negative usecols on ragged rows, lenient", ragged, "f8", "usecols=-1", () -> b().useCols(-1).lenient(true).build());
        same("negative usecols on ragged rows, lenient, 2", ragged, "f8", "usecols=(0, -1)",
                () -> b().useCols(0, -1).lenient(true).build());
        same("negative usecols on shorter rows, lenient", file("1 2 3\n4 5\n6 7 8 9\n"), "f8", "usecols=(-1, -2)",
                () -> b().useCols(-1, -2).lenient(true).build());
        same("negative usecols, structured, lenient", file("a 1 2\nb 3 4 5\n"), "s:S3,x:f8", "usecols=(0, -1)",
                () -> b().useCols(0, -1).lenient(true).build());
        same("usecols 0,0", file("1 2\n3 4\n"), "f8", "usecols=(0, 0)", () -> b().useCols(0, 0).build());
        same("usecols 0,0, structured with two types", file("1 2\n3 4\n"), "a:f8,b:i4", "usecols=(0, 0)",
                () -> b().useCols(0, 0).build());
        same("usecols 1,-1,1", file("1 2\n3 4\n"), "i2", "usecols=(1, -1, 1)", () -> b().useCols(1, -1, 1).build());
        check();
    }

    /// `S` fields: numpy decodes the text as UTF-8 and encodes the field as Latin-1.
    @Test
    void textOutsideAscii() throws IOException {
        same("e acute in S5", utf8("caf\u00e9 1\n"), "s:S5,x:f8", "", () -> b().build());
        same("e acute fills S4", utf8("caf\u00e9 1\n"), "s:S4,x:f8", "", () -> b().build());
        same("e acute, truncated by lenient S3", utf8("caf\u00e9s 1\n"), "s:S3,x:f8", "", () -> b().lenient(true).build());
        same("Latin-1 letters, delimited, long", utf8("\u00c5ngstr\u00f6m \u00e0 la cr\u00e8me,1\nx\u00ff\u0080\u00a0,2\n"),
                "s:S24,x:f8", "delimiter=','", () -> b().delimiter(',').build());
        same("no-break space kept in a delimited S field", utf8("\u00a0ab\u00a0,1\n"), "s:S4,x:f8", "delimiter=','",
                () -> b().delimiter(',').build());
        same("plain S dtype", utf8("caf\u00e9 na\u00efve\n"), "S5", "", () -> b().build());
        same("non-ASCII in a column not read", utf8("\u2013\u4e2d,1\n\ud83d\ude00,2\n"), "f8", "delimiter=',', usecols=1",
                () -> b().delimiter(',').useCols(1).build());
        refused("a character outside Latin-1", utf8("ok 1\nx\u2013 2\n"), "s:S6,x:f8", "", () -> b().build(), 2);
        refused("an emoji", utf8("\ud83d\ude00 2\n"), "s:S6,x:f8", "", () -> b().build(), 1);
        refused("a BOM before a string", utf8("\ufeffab 1\n"), "s:S6,x:f8", "", () -> b().build(), 1);
        refused("a BOM before a number", utf8("\ufeff1,1\n"), "f8", "delimiter=','", () -> b().delimiter(',').build(), 1);
        refused("invalid UTF-8 in a string", file("ab\u00ff 1\n"), "s:S6,x:f8", "", () -> b().build(), 1);
        refused("a lone continuation byte", file("ab\u0080 1\n"), "s:S6,x:f8", "", () -> b().build(), 1);
        refused("an overlong encoding", file("a\u00c0\u00af 1\n"), "s:S6,x:f8", "", () -> b().build(), 1);
        refused("a surrogate", file("a\u00ed\u00a0\u0080 1\n"), "s:S6,x:f8", "", () -> b().build(), 1);
        refused("a truncated sequence at the field's end", file("a\u00e2\u0080,1\n"), "s:S6,x:f8", "delimiter=','",
                () -> b().delimiter(',').build(), 1);
        check();
    }

    /// Every character Python's `str.isspace()` accepts separates fields without a delimiter, and is
    /// stripped around numbers with one, as numpy does.
    @Test
    void unicodeWhitespace() throws IOException {
        int[] pythonSpaces = {0x09, 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
                0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};
        for (int c : pythonSpaces) { // [c for c in map(chr, range(0x110000)) if c.isspace()], but \n and \r
            String w = Character.toString(c);
            String name = String.format("U+%04X", c);
            same(name + " splits", utf8("1" + w + "2 " + w + "\n" + w + "3 4" + w + w + "\n" + w + "\n"), "f8", "", () -> b().build());
            same(name + " splits strings", utf8("a" + w + "b 1\n"), "s:S2,t:S2,x:i4", "", () -> b().build());
            same(name + " around delimited numbers", utf8(w + "1" + w + ",2\n3," + w + "4" + w + "\n"), "i4", "delimiter=','",
                    () -> b().delimiter(',').build());
            same(name + " around delimited floats", utf8(w + "1.5" + w + ",2e0" + w + "\n"), "f8", "delimiter=','",
                    () -> b().delimiter(',').build());
        }
        refused("U+00A0 inside a number", utf8("1\u00a02,2\n"), "f8", "delimiter=','", () -> b().delimiter(',').build(), 1);
        same("U+2028 is no line break", utf8("1\u20282\n3 4\n"), "f8", "", () -> b().build());
        check();
    }

    @Test
    void lineBreaksAndShapes() throws IOException {
        same("lone CR", file("1 2\r3 4\r"), "f8", "", () -> b().build());
        same("lone CR, delimited, no final break", file("1,2\r3,4"), "f8", "delimiter=','", () -> b().delimiter(',').build());
        same("CR, CRLF and LF mixed, blank CR lines", file("1 2\r\n3 4\r5 6\n\r\r7 8\r\n\r\n"), "f8", "", () -> b().build());
        same("lone CR ends a comment", file("# a\r1 2\r#b\r3 4"), "f8", "", () -> b().build());
        same("lone CR ends a string", file("ab\rcd\r"), "S3", "", () -> b().build());
        same("lone CR with skiprows", file("x\ry\r1 2\r3 4\r"), "f8", "skiprows=2", () -> b().skipRows(2).build());
        refused("lone CR: line numbers", file("1 2\r3 4\r5 x\r"), "f8", "", () -> b().build(), 3);
        same("one row, plain dtype", file("1 2 3\n"), "f8", "", () -> b().build());
        same("one row, plain dtype, usecols", file("1 2 3\n"), "f8", "usecols=(0, 2)", () -> b().useCols(0, 2).build());
        same("one row, one column", file("7\n"), "i4", "", () -> b().build());
        same("one row of two, max_rows 1", file("1 2 3\n4 5 6\n"), "f8", "max_rows=1", () -> b().maxRows(1).build());
        same("max_rows 0", file("1 2 3\n4 5 6\n"), "f8", "max_rows=0", () -> b().maxRows(0).build());
        same("max_rows 0, usecols", file("1 2 3\n4 5 6\n"), "f8", "max_rows=0, usecols=(0, 1)",
                () -> b().maxRows(0).useCols(0, 1).build());
        same("max_rows 0, one usecol", file("1 2 3\n4 5 6\n"), "f8", "max_rows=0, usecols=(1,)",
                () -> b().maxRows(0).useCols(1).build());
        same("max_rows 0, structured", file("1 2 3\n"), "a:f8,b:f8,c:f8", "max_rows=0", () -> b().maxRows(0).build());
        same("empty, usecols", file(""), "f8", "usecols=(0, 1)", () -> b().useCols(0, 1).build());
        check();
    }

    @Test
    void quotedFields() throws IOException {
        Supplier<LoadOptions.Builder> csvb = () -> b().delimiter(',').quoteChar('"');
        Supplier<LoadOptions> csv = () -> csvb.get().build();
        String k = "delimiter=',', quotechar='\"'";
        same("the delimiter and doubled quotes in quotes", file("\"a,b\",1\n\"c\"\"d\",2\n"), "s:S4,x:f8", k, csv);
        same("the comment character in quotes", file("\"a#b\",1 # x\n"), "s:S6,x:f8", k, csv);
        same("text after the closing quote", file("\"ab\"cd,1\n\"a\"b\"c\",2\n"), "s:S6,x:f8", k, csv);
        same("a quote inside an unquoted field", file("ab\"cd,1\n"), "s:S6,x:f8", k, csv);
        same("quoted numbers", file("\"1.5\",\" 2 \"\n"), "f8", k, csv);
        same("quoted integers", file("\"1\",\"2\"\n"), "i4", k, csv);
        same("an empty quoted field", file("\"\",2\n"), "s:S3,x:f8", k, csv);
        same("a line of an empty quoted field", file("\"\"\n1\n"), "S3", k, csv);
        same("a quoted field not read", file("\"a,b\",1\n\"c\",2\n"), "f8", k + ", usecols=1", () -> csvb.get().useCols(1).build());
        same("a space before the quote is kept (no quoting)", file("x,a \"b\"\n"), "S6", k, csv);
        same("quotes with whitespace splitting", file("\"a b\" 1\n  \"c\" 2\n"), "s:S4,x:f8", "quotechar='\"'",
                () -> b().quoteChar('"').build());
        same("quotes, whitespace splitting, empty quoted last field dropped", file("1 \"\"\n2 \"\"\n"), "S3",
                "quotechar='\"'", () -> b().quoteChar('"').build());
        same("quotes, whitespace splitting, trailing space after a quoted first field", file("\"a\" \n\"b\" \n"), "S3",
                "quotechar='\"'", () -> b().quoteChar('"').build());
        same("quoted Latin-1 text", utf8("\"caf\u00e9, x\",1\n"), "s:S8,x:f8", k, csv);
        same("an unclosed quote at the end of the file", file("1\n\"4"), "S6", k, csv);
        cases.add(new NumpyLoadtxt.Case("a quoted line break (not supported)", file("\"ab\ncd\",1\n"), DType.parse("s:S6,x:f8"),
                k, csv, Expect.REFUSED_BY_FERRY, 1, false));
        refused("no quotechar: quotes are text", file("\"a,b\",1\n"), "s:S6,x:f8", "delimiter=','",
                () -> b().delimiter(',').build(), 1);
        check();
    }

    @Test
    void commentStrings() throws IOException {
        same("several comment strings", file("1,2 // x\n# y\n@ z\n3,4\n"), "f8", "delimiter=',', comments=['#', '@', '//']",
                () -> b().delimiter(',').comments("#", "@", "//").build());
        same("a two-character comment", file("1,2 //x\n/ 3,4\n"), "S4", "delimiter=',', comments='//'",
                () -> b().delimiter(',').comments("//").build());
        same("a two-character comment, lone slashes", file("1/2 //x\n3/4\n"), "S4", "comments='//'",
                () -> b().comments("//").build());
        same("comments cut one after another", file("zabc\n"), "S4", "delimiter=',', comments=['bc', 'abc']",
                () -> b().delimiter(',').comments("bc", "abc").build());
        same("a space among several comments, whitespace splitting", file("1 2 //x\n"), "f8", "comments=['//', ' ']",
                () -> b().comments("//", " ").build());
        same("a non-ASCII comment", utf8("1,2 \u00a7x\n\u00a7\n3,4\n"), "f8", "delimiter=',', comments='\\u00a7'",
                () -> b().delimiter(',').comments("\u00a7").build());
        same("a space as the comment, delimited", file("1,2 x\n"), "f8", "delimiter=',', comments=' '",
                () -> b().delimiter(',').comments(' ').build());
        optionsRefused("the comment is the delimiter", file("1,2\n"), "delimiter=',', comments=','",
                () -> b().delimiter(',').comments(',').build());
        optionsRefused("a space comment with whitespace splitting", file("1 2\n"), "comments=' '",
                () -> b().comments(' ').build());
        optionsRefused("a tab comment with whitespace splitting", file("1 2\n"), "comments='\\t'",
                () -> b().comments('\t').build());
        check();
    }

    /// With a structured dtype, useCols names one column per field, or numpy refuses the call.
    @Test
    void useColsForEachField() throws IOException {
        Path three = file("1 2 3\n4 5 6\n");
        same("usecols, one per field", three, "a:f8,b:i4", "usecols=(2, 0)", () -> b().useCols(2, 0).build());
        optionsRefused("usecols, more than the fields", three, "a:f8,b:i4", "usecols=(0, 1, 2)",
                () -> b().useCols(0, 1, 2).build());
        optionsRefused("usecols, fewer than the fields", three, "a:f8,b:i4", "usecols=(1,)", () -> b().useCols(1).build());
        check();
    }

    /// A delimiter, comment or quote character that a number is made of (digit, sign, point): the
    /// parse loop reads numbers by those bytes, so these lines take the line path.
    @Test
    void controlCharactersNumbersAreMadeOf() throws IOException {
        same("delimiter -", file("1-2-3\n4-5-6\n"), "i4", "delimiter='-'", () -> b().delimiter('-').build());
        refused("delimiter -, a leading one", file("-1--2\n"), "i4", "delimiter='-'", () -> b().delimiter('-').build(), 1);
        same("delimiter .", file("1.5.7\n"), "f8", "delimiter='.'", () -> b().delimiter('.').build());
        same("delimiter 0", file("102\n304\n"), "i4", "delimiter='0'", () -> b().delimiter('0').build());
        same("delimiter +", file("1+2\n"), "f8", "delimiter='+'", () -> b().delimiter('+').build());
        same("comment 1", file("213 4\n"), "i4", "comments='1'", () -> b().comments('1').build());
        same("comment .", file("1.5 2\n"), "f8", "comments='.'", () -> b().comments('.').build());
        same("comment 05", file("1.05 2\n"), "f8", "comments='05'", () -> b().comments("05").build());
        same("comment -", file("2-3\n"), "i4", "comments='-'", () -> b().comments('-').build());
        same("comment 1, one column", file("213\n214\n"), "i4", "comments='1'", () -> b().comments('1').build());
        same("comment ., one column", file("1.5\n2.5\n"), "f8", "comments='.'", () -> b().comments('.').build());
        same("comment 05, one column", file("1.05\n2.05\n"), "f8", "comments='05'", () -> b().comments("05").build());
        same("quote 1", file("121 4\n"), "i4", "quotechar='1'", () -> b().quoteChar('1').build());
        same("quote -", file("-5- 4\n"), "i4", "quotechar='-'", () -> b().quoteChar('-').build());
        check();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
