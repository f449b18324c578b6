package io.ferry.text;

import io.ferry.dtype.DType;
import io.ferry.text.NumpyLoadtxt.Case;
import io.ferry.text.NumpyLoadtxt.Expect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/// numpy's own tests of `loadtxt` (numpy 1.24's `numpy/lib/tests/test_loadtxt.py`, and the
/// `TestLoadTxt` class of `test_io.py`), as far as Ferry's options can say them, each run through
/// Debian's numpy 1.24 and Ferry: equal bytes and shape, or both refusing (Ferry naming file and
/// line). Each case is named after the numpy test it comes from; the data are reworded where the
/// numpy test's point allows. numpy tests that Ferry cannot express (converters, `U`, complex,
/// datetime, subarray fields, `encoding`, `unpack`, `ndmin` other than 1, generators as input)
/// are listed in the README's table of loadtxt features.
class NumpyLoadtxtPortTest {
    private static final String[] INTEGERS = {"i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"};

    @TempDir
    Path dir;

    private final List<Case> cases = new ArrayList<>();
    private int files;

    private static LoadOptions.Builder b() {
        return LoadOptions.builder();
    }

    private Path file(byte[] content) throws IOException {
        Path f = dir.resolve("p" + files++ + ".txt");
        Files.write(f, content);
        return f;
    }

    private Path file(String content) throws IOException {
        return file(content.getBytes(StandardCharsets.UTF_8));
    }

    private void same(String name, String text, String dtype, String kwargs, Supplier<LoadOptions> options)
            throws IOException {
        same(name, file(text), dtype, kwargs, options);
    }

    private void same(String name, Path file, String dtype, String kwargs, Supplier<LoadOptions> options) {
        cases.add(new Case(name, file, DType.parse(dtype), kwargs, options, Expect.SAME, 0, false));
    }

    private void refused(String name, String text, String dtype, String kwargs, Supplier<LoadOptions> options,
                         long line) throws IOException {
        cases.add(new Case(name, file(text), DType.parse(dtype), kwargs, options, Expect.REFUSED, line, false));
    }

    /// numpy refuses it only with its warnings as errors (a deprecated cast): Ferry, strict, refuses it
    private void refusedAsNumpysTestsRunIt(String name, String text, String dtype, String kwargs,
                                           Supplier<LoadOptions> options, long line) throws IOException {
        cases.add(new Case(name, file(text), DType.parse(dtype), kwargs, options, Expect.REFUSED, line, true));
    }

    private void optionsRefused(String name, String text, String kwargs, Supplier<LoadOptions> options)
            throws IOException {
        cases.add(new Case(name, file(text), DType.parse("f8"), kwargs, options, Expect.OPTIONS_REFUSED, 0, false));
    }

    private void check() throws IOException {
        NumpyLoadtxt.assertAsNumpy(cases, dir);
    }

    @Test
    void numbersAndTypes() throws IOException {
        same("test_scientific_notation", "2.0e-1,3.0E1,4.0\n5.0e-2,6.0E-1,7.0\n0.0e-4,1.0E-1,2.0", "f8",
                "delimiter=','", () -> b().delimiter(',').build());
        same("test_huge_float[f]", "0".repeat(1000) + ".123456789\n", "f4", "", () -> b().build());
        same("test_huge_float[d]", "0".repeat(1000) + ".123456789\n", "f8", "", () -> b().build());
        same("test_float_conversion", "0.9999999999999999\n9876543210.123456\n5.43215432154321e+300\n0.901\n0.333",
                "f8", "", () -> b().build());
        same("test_bool", "1, 0\n10, -1", "b1", "delimiter=','", () -> b().delimiter(',').build());
        for (String t : INTEGERS) {
            same("test_integer_signs[" + t + "] +2", "+2\n", t, "", () -> b().build());
            if (t.startsWith("u")) { // numpy 1.24 casts it through a float, with a deprecation warning
                refusedAsNumpysTestsRunIt("test_integer_signs[" + t + "] -1", "-1\n", t, "", () -> b().build(), 1);
            } else {
                same("test_integer_signs[" + t + "] -2", "-2\n", t, "", () -> b().build());
            }
            for (String sign : List.of("++", "+-", "--", "-+")) {
                refused("test_integer_signs[" + t + "] " + sign + "2", sign + "2\n", t, "", () -> b().build(), 1);
            }
            refusedAsNumpysTestsRunIt("test_implicit_cast_float_to_int_fails[" + t + "]", "1.0, 2.1, 3.7\n4, 5, 6", t,
                    "delimiter=','", () -> b().delimiter(',').build(), 1);
            same("test_implicit_cast_float_to_int_fails[" + t + "], lenient: numpy's values",
                    "1.0, 2.1, 3.7\n4, 5, 6", t, "delimiter=','", () -> b().delimiter(',').lenient(true).build());
            refused("test_nul_character_error[" + t + "]", "1\0\n", t, "delimiter=',', quotechar='\"'",
                    () -> b().delimiter(',').quoteChar('"').build(), 1);
            refused("test_no_thousands_support[" + t + "]", "1_1\n", t, "", () -> b().build(), 1);
        }
        for (String t : List.of("f4", "f8", "b1")) {
            refused("test_nul_character_error[" + t + "]", "1\0\n", t, "delimiter=',', quotechar='\"'",
                    () -> b().delimiter(',').quoteChar('"').build(), 1);
            refused("test_no_thousands_support[" + t + "]", "1_1\n", t, "", () -> b().build(), 1);
        }
        for (String t : List.of("f8", "i2")) {
            refused("test_exception_message_bad_values[" + t + "]", "1,2\n3,XXX\n5,6", t, "delimiter=','",
                    () -> b().delimiter(',').build(), 2);
        }
        refused("test_default_float_converter_no_default_hex_conversion", "a b c", "f8", "", () -> b().build(), 1);
        refused("test_default_float_converter_exception", "qrs tuv", "f8", "", () -> b().build(), 1);
        same("test_uint64_type", "9223372043271415339 9223372043271415853", "u8", "", () -> b().build());
        same("test_int64_type", "-9223372036854775807 9223372036854775807", "i8", "", () -> b().build());
        // numpy writes a value with unique bytes after an S1 field, so that the number is unaligned
        String[][] unaligned = {{"i2", "1"}, {"u2", "1"}, {"i4", "66051"}, {"u4", "66051"},
                {"i8", "283686952306183"}, {"u8", "283686952306183"}, {"f4", "9.2557e-41"},
                {"f8", "-1.758571353180402e-24"}};
        for (String[] v : unaligned) {
            for (String order : List.of("<", ">")) {
                same("test_byteswapping_and_unaligned[" + order + v[0] + "]", "x," + v[1] + "\n",
                        "a:S1,b:" + order + v[0], "delimiter=',', max_rows=1",
                        () -> b().delimiter(',').maxRows(1).build());
            }
        }
        for (String t : List.of("i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f4", "f8", "b1")) {
            same("test_unicode_whitespace_stripping[" + t + "], no line break in the quotes",
                    " 3 ,\"\u202f2\"\n", t, "delimiter=',', quotechar='\"'",
                    () -> b().delimiter(',').quoteChar('"').build());
        }
        check();
    }

    @Test
    void linesCommentsAndSkipping() throws IOException {
        for (String c : List.of("..", "//", "@-", "this is a comment:")) {
            same("test_comment_multiple_chars[" + c + "]", "# IGNORE\n1.5, 2.5# ABC\n3.0,4.0# XXX\n5.5,6.0\n"
                    .replace("#", c), "f8", "delimiter=',', comments='" + c + "'", () -> b().delimiter(',').comments(c).build());
        }
        String mixed = "1000;2.4;alpha;-34\n2000;3.1;beta;29\n3500;9.9;gamma;120\n4090;8.1;delta;0\n"
                + "5001;4.4;epsilon;-99\n6543;7.8;omega;-1\n";
        for (int skip = 0; skip < 4; skip++) {
            int s = skip;
            same("test_structured_dtype_and_skiprows_no_empty_lines[" + skip + "]", mixed, "a:u2,b:f8,c:S7,d:i1",
                    "delimiter=';', skiprows=" + skip, () -> b().delimiter(';').skipRows(s).build());
        }
        for (String ws : List.of(" ", "\t", "\u2003", "\u00a0", "\u3000")) {
            String esc = String.format("\\u%04x", (int) ws.charAt(0));
            same("test_blank_lines_spaces_delimit[" + esc + "]",
                    "1 2" + ws + "30\n\n" + ws + "\n4 5 60" + ws + "\n  " + ws + "  \n7 8 " + ws + " 90\n  # comment\n3 2 1",
                    "i8", "comments='#'", () -> b().build());
        }
        same("test_blank_lines_normal_delimiter", "1,2,30\n\n4,5,60\n\n7,8,90\n# comment\n3,2,1", "i8",
                "delimiter=','", () -> b().delimiter(',').build());
        same("test_maxrows_no_blank_lines", "1.5,2.5\n3.0,4.0\n5.5,6.0", "f8", "delimiter=',', max_rows=2",
                () -> b().delimiter(',').maxRows(2).build());
        for (String data : List.of("", "\n\n\n", "# 1 2 3\n# 4 5 6\n")) {
            same("test_warn_on_no_data[" + data.length() + " chars]", data, "f8", "", () -> b().build());
            same("test_warn_on_no_data[" + data.length() + " chars, usecols]", data, "f8", "usecols=(1, 2, 3)",
                    () -> b().useCols(1, 2, 3).build());
        }
        for (int skip : new int[]{2, 3}) {
            same("test_warn_on_skipped_data[" + skip + "]", "1 2 3\n4 5 6", "f8", "skiprows=" + skip,
                    () -> b().skipRows(skip).build());
        }
        same("test_comments_unicode", "# comment\n1,2,3,5\n", "i8", "delimiter=',', comments='#'",
                () -> b().delimiter(',').comments("#").build());
        same("test_comments_byte", "# comment\n1,2,3,5\n", "i8", "delimiter=',', comments=b'#'",
                () -> b().delimiter(',').comments('#').build());
        same("test_comments_multiple", "# comment\n1,2,3\n@ comment2\n4,5,6 // comment3", "i8",
                "delimiter=',', comments=['#', '@', '//']", () -> b().delimiter(',').comments("#", "@", "//").build());
        same("test_comments_multi_chars", "/* comment\n1,2,3,5\n", "i8", "delimiter=',', comments='/*'",
                () -> b().delimiter(',').comments("/*").build());
        refused("test_comments_multi_chars: '*/' is no comment", "*/ comment\n1,2,3,5\n", "i8",
                "delimiter=',', comments='/*'", () -> b().delimiter(',').comments("/*").build(), 1);
        same("test_comments_multi_chars: several, applied one after another",
                "zabc\nyab\n", "S4", "delimiter=',', comments=['bc', 'abc']",
                () -> b().delimiter(',').comments("bc", "abc").build());
        same("test_skiprows: a plain line", "comment\n1,2,3,5\n", "i8", "delimiter=',', skiprows=1",
                () -> b().delimiter(',').skipRows(1).build());
        same("test_skiprows: a comment line", "# comment\n1,2,3,5\n", "i8", "delimiter=',', skiprows=1",
                () -> b().delimiter(',').skipRows(1).build());
        same("test_universal_newline", "1 21\r3 42\r", "f8", "", () -> b().build());
        same("test_good_newline_in_iterator (as a file)", "1,2\n2,3\r\n", "f8", "delimiter=',', quotechar=\"'\"",
                () -> b().delimiter(',').quoteChar('\'').build());
        same("test_empty_field_after_tab", "1 \t2 \t3\tstart \n4\t5\t6\t  \n7\t8\t9.5\t", "x:i4,y:i4,z:f4,comment:S8",
                "delimiter='\\t'", () -> b().delimiter('\t').build());
        refused("test_bad_line", "1 2 3\n4 5 6\n2 3", "f8", "", () -> b().build(), 3);
        same("test_none_as_string", "100,foo,200\n300,None,400", "x:i8,a:S10,y:i8", "delimiter=',', comments=None",
                () -> b().delimiter(',').noComments().build());
        check();
    }

    @Test
    void rowsAndShapes() throws IOException {
        same("test_ndmin_single_row_or_col: one row", "1 2 3 4 5\n", "i8", "", () -> b().build());
        same("test_ndmin_single_row_or_col: one column", "1\n2\n3\n4\n5\n", "i8", "", () -> b().build());
        same("test_ndmin_keyword: two rows", "1,2,3\n4,5,6", "i8", "delimiter=','", () -> b().delimiter(',').build());
        same("test_ndmin_keyword: one row", "0,1,2", "i8", "delimiter=','", () -> b().delimiter(',').build());
        same("test_ndmin_keyword: one column", "0\n1\n2", "i8", "delimiter=','", () -> b().delimiter(',').build());
        same("test_ndmin_keyword: empty", "", "f8", "", () -> b().build());
        same("test_empty_file", "", "i8", "", () -> b().build());
        same("test_record: ints", "1 2\n3 4", "x:i4,y:i4", "", () -> b().build());
        same("test_record: mixed", "M 64 75.0\nF 25 60.0", "gender:S1,age:i4,weight:f4", "", () -> b().build());
        same("test_array: int", "1 2\n3 4", "i8", "", () -> b().build());
        same("test_array: float", "1 2\n3 4", "f8", "", () -> b().build());
        same("test_1D: a column", "1\n2\n3\n4\n", "i8", "", () -> b().build());
        same("test_1D: a row", "1,2,3,4\n", "i8", "delimiter=','", () -> b().delimiter(',').build());
        same("test_max_rows", "1,2,3,5\n4,5,7,8\n2,1,4,5", "i8", "delimiter=',', max_rows=1",
                () -> b().delimiter(',').maxRows(1).build());
        same("test_max_rows_with_skiprows: 1", "comments\n1,2,3,5\n4,5,7,8\n2,1,4,5", "i8",
                "delimiter=',', skiprows=1, max_rows=1", () -> b().delimiter(',').skipRows(1).maxRows(1).build());
        same("test_max_rows_with_skiprows: 2", "comment\n1,2,3,5\n4,5,7,8\n2,1,4,5", "i8",
                "delimiter=',', skiprows=1, max_rows=2", () -> b().delimiter(',').skipRows(1).maxRows(2).build());
        same("test_max_rows_with_read_continuation (first read)", "1,2,3,5\n4,5,7,8\n2,1,4,5", "i8",
                "delimiter=',', max_rows=2", () -> b().delimiter(',').maxRows(2).build());
        same("test_max_rows_larger", "comment\n1,2,3,5\n4,5,7,8\n2,1,4,5", "i8", "delimiter=',', skiprows=1, max_rows=6",
                () -> b().delimiter(',').skipRows(1).maxRows(6).build());
        for (int skip = 0; skip < 2; skip++) {
            int s = skip;
            String first = skip == 1 ? "ignored" : "-1,0";
            same("test_max_rows_empty_lines[" + skip + ", newline at the end]", first + "\n1,2\n\n3,4\n", "i8",
                    "delimiter=',', skiprows=" + skip + ", max_rows=" + (3 - skip),
                    () -> b().delimiter(',').skipRows(s).maxRows(3 - s).build());
            same("test_max_rows_empty_lines[" + skip + "]", first + "\n1,2\n\n3,4", "i8",
                    "delimiter=',', skiprows=" + skip + ", max_rows=" + (3 - skip),
                    () -> b().delimiter(',').skipRows(s).maxRows(3 - s).build());
        }
        for (int i : new int[]{1, 2, 7, 100, 1023}) {
            same("test_field_growing_cases[" + i + "]", ",".repeat(i), "S1", "delimiter=','",
                    () -> b().delimiter(',').build());
        }
        same("test_read_huge_row", ("1.5, 2.5," .repeat(50000)).replaceAll(",$", "") + "\n"
                        + ("1.5, 2.5,".repeat(50000)).replaceAll(",$", "") + "\n", "f8", "delimiter=','",
                () -> b().delimiter(',').build());
        same("test_read_from_generator_multitype (as a file)", "0 0.0\n1 0.25\n2 0.5\n", "f0:i4,f1:f8",
                "delimiter=' '", () -> b().delimiter(' ').build());
        same("test_read_from_generator (as a file)", "0,0,0\n1,2,1\n2,4,4\n3,6,9", "i8", "delimiter=','",
                () -> b().delimiter(',').build());
        for (String sep : List.of("\n", "\r\n", "\r")) {
            Path gz = dir.resolve("c" + files++ + ".gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(("0 1 2" + sep + "3 4 5").getBytes(StandardCharsets.UTF_8));
            }
            same("test_compressed_gzip[" + sep.replace("\r", "\\r").replace("\n", "\\n") + "]", gz, "f8", "",
                    () -> b().build());
        }
        check();
    }

    @Test
    void columns() throws IOException {
        same("test_usecols: one", "1 2\n3 4\n", "f8", "usecols=(1,)", () -> b().useCols(1).build());
        same("test_usecols: two", "1 2 3\n3 4 5\n", "f8", "usecols=(1, 2)", () -> b().useCols(1, 2).build());
        same("test_usecols: an int", "1 2 3\n3 4 5\n", "f8", "usecols=1", () -> b().useCols(1).build());
        same("test_usecols: structured", "JOE 70.1 25.3\n                BOB 60.5 27.9\n                ",
                "stid:S4,temp:f8", "usecols=(0, 2)", () -> b().useCols(0, 2).build());
        same("test_ragged_usecols", "0,0,XXX\n0,XXX,0,XXX\n0,XXX,XXX,0,XXX\n", "f8", "delimiter=',', usecols=[0, -2]",
                () -> b().delimiter(',').useCols(0, -2).lenient(true).build());
        refused("test_ragged_usecols: no column -2", "0,0,XXX\n0\n0,XXX,XXX,0,XXX\n", "f8",
                "delimiter=',', usecols=[0, -2]", () -> b().delimiter(',').useCols(0, -2).lenient(true).build(), 2);
        refused("test_ragged_usecols: no column -2, strict", "0,0,XXX\n0\n0,XXX,XXX,0,XXX\n", "f8",
                "delimiter=',', usecols=[0, -2]", () -> b().delimiter(',').useCols(0, -2).build(), 2);
        same("test_converters_negative_indices_with_usecols (without the converter)", "0,1,2\n0,1,2,3,4", "f8",
                "delimiter=',', usecols=[0, -1]", () -> b().delimiter(',').useCols(0, -1).lenient(true).build());
        optionsRefused("test_bad_usecols: as many usecols as fields", "1,1\n", "dtype='i4,i4', usecols=[0], delimiter=','",
                () -> {
                    LoadOptions o = b().delimiter(',').useCols(0).build();
                    TextLoader.of(DType.parse("a:i4,b:i4"), o);
                    return o;
                });
        check();
    }

    @Test
    void stringsAndText() throws IOException {
        refused("test_character_not_bytes_compatible", "\u2013", "S5", "", () -> b().build(), 1);
        same("test_large_unicode_characters (as S12) [a]", "a,a,c,1.0\ne,b,2.0,g", "S12", "delimiter=','",
                () -> b().delimiter(',').build());
        for (String c : List.of("\u306e", "\ud83e\udec5")) { // not Latin-1: no S value
            refused("test_large_unicode_characters (as S12) [" + c + "]", "a," + c + ",c,1.0\ne,b,2.0,g", "S12",
                    "delimiter=','", () -> b().delimiter(',').build(), 1);
        }
        same("test_str_dtype (as S4)", "str1\nstr2\n", "S4", "", () -> b().build());
        same("test_binary_load (as S20)", "5,6,7,\u00d5scarscar\r\n15,2,3,hello\r\n20,2,3,\u00d5scar\r\n", "S20", "",
                () -> b().build());
        same("test_control_characters_as_bytes", "#header\n1,2,3", "f8", "comments=b'#', delimiter=b','",
                () -> b().delimiter(',').comments('#').build());
        check();
    }

    @Test
    void quotes() throws IOException {
        for (char q : new char[]{'"', '\'', '`'}) {
            String qs = String.valueOf(q);
            String py = q == '\'' ? "\"'\"" : "'" + q + "'";
            same("test_quoted_field[" + q + "] (S8 for U8)", qs + "alpha, x" + qs + ", 2.5\n" + qs + "beta, y" + qs
                            + ", 4.5\n" + qs + "gamma, z" + qs + ", 5.0\n", "f0:S8,f1:f8", "delimiter=',', quotechar=" + py,
                    () -> b().delimiter(',').quoteChar(q).build());
            same("test_quoted_field_with_whitepace_delimiter[" + q + "] (S8 for U8)", qs + "alpha, x" + qs
                            + "     2.5\n" + qs + "beta, y" + qs + " 4.5\n" + qs + "gamma, z" + qs + "   5.0\n", "f0:S8,f1:f8",
                    "delimiter=None, quotechar=" + py, () -> b().quoteChar(q).build());
        }
        refused("test_quote_support_default: off", "\"lat,long\", 45, 30\n", "f0:S24,f1:f8,f2:f8", "delimiter=','",
                () -> b().delimiter(',').build(), 1);
        same("test_quote_support_default: on", "\"lat,long\", 45, 30\n", "f0:S24,f1:f8,f2:f8",
                "delimiter=',', quotechar='\"'", () -> b().delimiter(',').quoteChar('"').build());
        optionsRefused("test_comment_multichar_error_with_quote: '123'", "1,2\n3,4",
                "delimiter=',', comments='123', quotechar='\"'",
                () -> b().delimiter(',').comments("123").quoteChar('"').build());
        optionsRefused("test_comment_multichar_error_with_quote: ['#', '%']", "1,2\n3,4",
                "delimiter=',', comments=['#', '%'], quotechar='\"'",
                () -> b().delimiter(',').comments("#", "%").quoteChar('"').build());
        same("test_comment_multichar_error_with_quote: ('#',)", "1,2\n3,4", "f8",
                "delimiter=',', comments=('#',), quotechar=\"'\"",
                () -> b().delimiter(',').comments("#").quoteChar('\'').build());
        same("test_structured_dtype_with_quotes", "1000;2.4;'alpha';-34\n2000;3.1;'beta';29\n3500;9.9;'gamma';120\n"
                        + "4090;8.1;'delta';0\n5001;4.4;'epsilon';-99\n6543;7.8;'omega';-1\n", "a:u2,b:f8,c:S7,d:i1",
                "delimiter=';', quotechar=\"'\"", () -> b().delimiter(';').quoteChar('\'').build());
        same("test_quoted_field_is_not_empty (S1 for U1)", "1\n\n\"4\"\n\"\"", "S1", "delimiter=',', quotechar='\"'",
                () -> b().delimiter(',').quoteChar('"').build());
        same("test_quoted_field_is_not_empty_nonstrict (S1 for U1)", "1\n\n\"4\"\n\"", "S1",
                "delimiter=',', quotechar='\"'", () -> b().delimiter(',').quoteChar('"').build());
        same("test_consecutive_quotechar_escaped (S40 for U40)", "\"Hello, my name is \"\"Monty\"\"!\"", "S40",
                "delimiter=',', quotechar='\"'", () -> b().delimiter(',').quoteChar('"').build());
        check();
    }

    @Test
    void optionsNumpyRefuses() throws IOException {
        optionsRefused("test_exception_negative_row_limits[skiprows]", "1\n", "skiprows=-3", () -> b().skipRows(-3).build());
        optionsRefused("test_exception_negative_row_limits[max_rows]", "1\n", "max_rows=-3", () -> b().maxRows(-3).build());
        optionsRefused("test_delimiter_comment_collision_raises", "1, 2, 3", "delimiter=',', comments=','",
                () -> b().delimiter(',').comments(',').build());
        optionsRefused("test_delimiter_quotechar_collision_raises", "1, 2, 3", "delimiter=',', quotechar=','",
                () -> b().delimiter(',').quoteChar(',').build());
        optionsRefused("test_comment_quotechar_collision_raises", "1 2 3", "comments='#', quotechar='#'",
                () -> b().comments('#').quoteChar('#').build());
        optionsRefused("test_delimiter_and_multiple_comments_collision_raises", "1, 2, 3",
                "delimiter=',', comments=['#', ',']", () -> b().delimiter(',').comments("#", ",").build());
        for (String ws : List.of(" ", "\t", "\u2003", "\u00a0", "\u3000")) {
            String esc = String.format("\\u%04x", (int) ws.charAt(0));
            optionsRefused("test_collision_with_default_delimiter_raises[" + esc + "] comments",
                    "1" + ws + "2" + ws + "3\n4" + ws + "5" + ws + "6\n", "comments='" + esc + "'",
                    () -> b().comments(ws).build());
            if (ws.charAt(0) < 0x80) {
                optionsRefused("test_collision_with_default_delimiter_raises[" + esc + "] quotechar",
                        "1" + ws + "2" + ws + "3\n4" + ws + "5" + ws + "6\n", "quotechar='" + esc + "'",
                        () -> b().quoteChar(ws.charAt(0)).build());
            }
        }
        for (String nl : List.of("\n", "\r")) {
            String esc = nl.equals("\n") ? "\\n" : "\\r";
            String text = "1" + nl + "2" + nl + "3" + nl + nl + "4" + nl;
            optionsRefused("test_control_character_newline_raises[" + esc + "] delimiter", text, "delimiter='" + esc + "'",
                    () -> b().delimiter(nl.charAt(0)).build());
            optionsRefused("test_control_character_newline_raises[" + esc + "] comments", text, "comments='" + esc + "'",
                    () -> b().comments(nl).build());
            optionsRefused("test_control_character_newline_raises[" + esc + "] quotechar", text, "quotechar='" + esc + "'",
                    () -> b().quoteChar(nl.charAt(0)).build());
        }
        optionsRefused("test_control_character_empty: comments", "1 2 3", "comments=''", () -> b().comments("").build());
        optionsRefused("test_control_character_empty: comments in a list", "1 2 3", "comments=['#', '']",
                () -> b().comments("#", "").build());
        check();
    }
}
