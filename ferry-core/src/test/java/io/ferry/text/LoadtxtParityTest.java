package io.ferry.text;

import io.ferry.dtype.DType;
import io.ferry.sample.MethylationTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        NumpyLoadtxt.assertSameAsNumpy(cases, dir);
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
