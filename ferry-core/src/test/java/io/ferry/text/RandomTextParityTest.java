package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/// Random tables, as people and programs write them and get them wrong, read by the real
/// `np.loadtxt` and by Ferry with the same options: Ferry's promise, checked case by case.
///
/// - Where numpy gives values, lenient Ferry (numpy's silent behaviour) gives the same bytes and
///   shape, and strict Ferry gives them too or refuses with an error naming the file and line,
///   for one of the changes numpy makes silently ([#SILENT_IN_NUMPY]) only. A quote the line does
///   not close is refused by both, on purpose (numpy reads on into the next line).
/// - Where numpy raises, Ferry raises too, strict or lenient: never values numpy would not give.
///
/// The text: fields of every kind (integers with signs, leading zeros and too many digits, floats
/// as [RandomNumbersTest#randomFloat] writes them, words, empty fields), whitespace around them,
/// a field too many or too few, blank and comment lines, comments after the data, `\r\n` line
/// ends, no line break at the end, quoted fields holding the delimiter, text past ASCII (Latin-1
/// characters, which `S` fields hold, and `€`, which they cannot); big-endian types; the options:
/// every delimiter kind (one space too), comments none, `#`, `//` or both `#` and `@`, skiprows,
/// max_rows, usecols (negative too), a quote character. Seeded: a failure names its case, which
/// runs again the same.
class RandomTextParityTest {
    private static final int CASES = 800;
    private static final String[] INTS = {"i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1", ">i4", ">u8"};
    private static final String[] FLOATS = {"f4", "f8", ">f4", ">f8"};
    private static final String[] STRINGS = {"S1", "S3", "S8"};

    /// What numpy reads by changing it silently, and strict Ferry refuses: a float's fraction cut
    /// off for an integer (numpy 1.24 warns only), an integer wrapped, a float become inf, a string
    /// cut, a row of another length read through usecols, a quote left open (numpy reads on).
    private static final Set<TextParseException.Problem> SILENT_IN_NUMPY = EnumSet.of(
            TextParseException.Problem.NOT_AN_INTEGER, TextParseException.Problem.OUT_OF_RANGE,
            TextParseException.Problem.FLOAT_OVERFLOW, TextParseException.Problem.TOO_LONG,
            TextParseException.Problem.TOO_FEW_FIELDS, TextParseException.Problem.TOO_MANY_FIELDS,
            TextParseException.Problem.QUOTE_NOT_CLOSED);

    @TempDir
    Path dir;

    /// One random call: the file, its dtype, the options in numpy's words and in Ferry's (null where
    /// Ferry refuses them, as it does numpy's unsupported mixes, `optionsRefused` saying why).
    private record Call(Path file, DType dtype, String kwargs, LoadOptions options, String optionsRefused, String text) {
    }

    @Test
    void ferryGivesNumpysValuesOrRefusesWhereNumpyRefuses() throws IOException {
        SplittableRandom r = new SplittableRandom(20261207);
        List<Call> calls = new ArrayList<>();
        List<NumpyLoadtxt.Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Call c = call(r, i);
            calls.add(c);
            cases.add(new NumpyLoadtxt.Case("case " + i, c.file(), c.dtype(), c.kwargs(), c.options()));
        }
        List<NumpyLoadtxt.Answer> answers = NumpyLoadtxt.run(cases, dir);
        List<String> failures = new ArrayList<>();
        int refusedByBoth = 0;
        int same = 0;
        for (int i = 0; i < CASES; i++) {
            Call c = calls.get(i);
            NumpyLoadtxt.Answer numpy = answers.get(i);
            String strict;
            String lenient;
            if (c.options() == null) {
                strict = numpy.error() != null ? null : "Ferry refused the options numpy takes: " + c.optionsRefused();
                lenient = null;
            } else {
                strict = check(c, c.options(), numpy, false);
                lenient = check(c, c.options().toBuilder().lenient(true).build(), numpy, true);
            }
            for (String f : new String[] {strict == null ? null : "strict: " + strict, lenient == null ? null : "lenient: " + lenient}) {
                if (f != null) {
                    failures.add("case " + i + " (dtype " + c.dtype().descrJson() + ", " + c.kwargs() + ") " + f
                            + "\n  text: " + escape(c.text()));
                }
            }
            if (numpy.error() == null) {
                same++;
            } else {
                refusedByBoth++;
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + 2 * CASES + " calls differ from numpy:\n"
                    + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
        // the generator must make both kinds of text, or the test proves little
        if (same < CASES / 5 || refusedByBoth < CASES / 5) {
            fail("numpy read " + same + " and refused " + refusedByBoth + " of " + CASES + " cases: tune the generator");
        }
    }

    /// {@return what is wrong with Ferry's answer, or null}
    private static String check(Call c, LoadOptions options, NumpyLoadtxt.Answer numpy, boolean lenient) {
        try (Arena arena = Arena.ofConfined()) {
            NdArray x = TextLoader.of(c.dtype(), options).load(c.file(), arena);
            if (numpy.error() != null) {
                return "Ferry loaded shape " + Arrays.toString(x.shape()) + " where numpy raised " + numpy.error();
            }
            byte[] mine = x.segment().asSlice(0, x.byteSize()).toArray(ValueLayout.JAVA_BYTE);
            if (!Arrays.equals(numpy.bytes(), mine) || !Arrays.equals(numpy.shape(), x.shape())) {
                return "values differ: numpy " + Arrays.toString(numpy.shape()) + " " + NumpyLoadtxt.hex(numpy.bytes())
                        + ", Ferry " + Arrays.toString(x.shape()) + " " + NumpyLoadtxt.hex(mine);
            }
            return null;
        } catch (TextParseException e) {
            if (numpy.error() == null && e.problem() != TextParseException.Problem.QUOTE_NOT_CLOSED
                    && (lenient || !SILENT_IN_NUMPY.contains(e.problem()))) {
                return "Ferry refused what numpy reads: " + e.getMessage();
            }
            if (!e.getMessage().startsWith(c.file() + ":") || e.line() < 1) {
                return "Ferry's error names no file and line: " + e.getMessage();
            }
            return null;
        } catch (IllegalArgumentException e) { // options Ferry refuses before reading
            return numpy.error() != null ? null : "Ferry refused the options numpy takes: " + e.getMessage();
        } catch (IOException | RuntimeException e) {
            return "Ferry threw " + e;
        }
    }

    private Call call(SplittableRandom r, int index) throws IOException {
        // the dtype: a plain one (rows x columns) or a record of 1 to 5 fields
        boolean plain = r.nextInt(3) == 0;
        int width = 1 + r.nextInt(plain ? 4 : 5);
        String[] kinds = new String[width];
        StringBuilder spec = new StringBuilder();
        for (int j = 0; j < width; j++) {
            kinds[j] = plain && j > 0 ? kinds[0] : kind(r, plain);
            spec.append(j == 0 ? "" : ",").append(plain ? "" : "f" + j + ":").append(kinds[j]);
            if (plain) {
                break;
            }
        }
        if (plain) {
            Arrays.fill(kinds, kinds[0]);
        }
        DType dtype = DType.parse(spec.toString());

        // the options
        LoadOptions.Builder o = LoadOptions.builder();
        List<String> kw = new ArrayList<>();
        char delimiter = switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> '\t';
            case 2 -> ',';
            case 3 -> ' '; // one space, each a separator: two in a row hold an empty field
            default -> ';';
        };
        if (delimiter != 0) {
            o.delimiter(delimiter);
            kw.add("delimiter=" + (delimiter == '\t' ? "'\\t'" : "'" + delimiter + "'"));
        }
        String comment = switch (r.nextInt(6)) {
            case 0 -> null;
            case 1 -> "//";
            case 2 -> "@"; // with '#' too: several comment strings
            default -> "#";
        };
        if (comment == null) {
            o.noComments();
            kw.add("comments=None");
        } else if (comment.equals("@")) {
            o.comments("#", "@");
            kw.add("comments=['#', '@']");
        } else if (!comment.equals("#")) {
            o.comments(comment);
            kw.add("comments='" + comment + "'");
        }
        boolean quotes = r.nextInt(6) == 0;
        if (quotes) {
            o.quoteChar('"');
            kw.add("quotechar='\"'");
        }
        int skip = r.nextInt(4) == 0 ? r.nextInt(3) : 0;
        if (skip > 0) {
            o.skipRows(skip);
            kw.add("skiprows=" + skip);
        }
        if (r.nextInt(6) == 0) {
            int max = r.nextInt(4);
            o.maxRows(max);
            kw.add("max_rows=" + max);
        }
        // usecols: the dtype's columns read from among more, in any order, or counted from the end
        int fileColumns = width;
        int[] columnOf = new int[width];
        for (int j = 0; j < width; j++) {
            columnOf[j] = j;
        }
        if (r.nextInt(4) == 0) {
            fileColumns = width + r.nextInt(3);
            int[] use = new int[width];
            List<Integer> free = new ArrayList<>();
            for (int k = 0; k < fileColumns; k++) {
                free.add(k);
            }
            for (int j = 0; j < width; j++) {
                int k = free.remove(r.nextInt(free.size()));
                columnOf[j] = k;
                use[j] = r.nextInt(4) == 0 ? k - fileColumns : k;
            }
            o.useCols(use);
            kw.add("usecols=(" + String.join(", ", Arrays.stream(use).mapToObj(Integer::toString).toList())
                    + (width == 1 ? ",)" : ")"));
        }
        String[] kindOfColumn = new String[fileColumns];
        for (int k = 0; k < fileColumns; k++) {
            kindOfColumn[k] = STRINGS[r.nextInt(STRINGS.length)];
        }
        for (int j = 0; j < width; j++) {
            kindOfColumn[columnOf[j]] = kinds[j];
        }

        // the text
        StringBuilder t = new StringBuilder();
        String end = r.nextInt(4) == 0 ? "\r\n" : "\n";
        int lines = r.nextInt(7);
        boolean mistakes = r.nextBoolean(); // about half the files have a mistake somewhere
        for (int l = 0; l < lines; l++) {
            int what = r.nextInt(12);
            if (what == 0) {
                t.append(r.nextBoolean() ? "" : "  ").append(end); // blank
                continue;
            }
            if (what == 1 && comment != null) {
                t.append(r.nextBoolean() ? "" : " \t").append(comment).append(" a note, 1 2 3").append(end);
                continue;
            }
            int fields = fileColumns;
            if (mistakes && r.nextInt(6) == 0) {
                fields += r.nextBoolean() ? 1 : -1;
            }
            for (int k = 0; k < fields; k++) {
                if (k > 0) {
                    t.append(delimiter == 0 ? (r.nextInt(4) == 0 ? " \t " : r.nextBoolean() ? " " : "\t") : String.valueOf(delimiter));
                }
                String kind = k < fileColumns ? kindOfColumn[k] : "S3";
                String value = value(r, kind, mistakes, delimiter, quotes);
                boolean pad = delimiter != 0 && r.nextInt(8) == 0;
                t.append(pad ? " " : "").append(value).append(pad ? " " : "");
            }
            if (mistakes && delimiter != 0 && r.nextInt(10) == 0) {
                t.append(delimiter); // a trailing delimiter: one empty field more
            }
            if (comment != null && r.nextInt(8) == 0) {
                t.append(r.nextBoolean() ? " " : "").append(comment).append("after");
            }
            if (l < lines - 1 || r.nextInt(5) > 0) {
                t.append(end);
            }
        }
        Path file = dir.resolve("case" + index + ".txt");
        // UTF-8, as numpy decodes it: numpy refuses invalid UTF-8 anywhere in a file, Ferry only
        // in the text it converts (a documented difference, which LoadtxtParityTest holds)
        Files.write(file, t.toString().getBytes(StandardCharsets.UTF_8));
        LoadOptions options = null;
        String refused = null;
        try {
            options = o.build();
        } catch (IllegalArgumentException e) {
            refused = e.getMessage();
        }
        return new Call(file, dtype, String.join(", ", kw), options, refused, t.toString());
    }

    private static String kind(SplittableRandom r, boolean plain) {
        int k = r.nextInt(plain ? 2 : 3);
        return switch (k) {
            case 0 -> INTS[r.nextInt(INTS.length)];
            case 1 -> FLOATS[r.nextInt(FLOATS.length)];
            default -> STRINGS[r.nextInt(STRINGS.length)];
        };
    }

    /// A field's text for a column of `kind`: mostly what the kind reads, now and then (in files
    /// with mistakes) something it does not.
    private static String value(SplittableRandom r, String kind, boolean mistakes, char delimiter, boolean quotes) {
        if (mistakes && r.nextInt(10) == 0) {
            return HOSTILE[r.nextInt(HOSTILE.length)];
        }
        if (r.nextInt(40) == 0) { // numbers with many leading zeros, right at the 8-byte words' edges
            return "0".repeat(1 + r.nextInt(24)) + (kind.startsWith("S") ? "" : String.valueOf(r.nextInt(100)));
        }
        if (kind.startsWith("S")) {
            String word = word(r);
            if (quotes && delimiter != 0 && r.nextInt(4) == 0) {
                return "\"" + word + delimiter + word + "\"";
            }
            return word;
        }
        if (kind.contains("f")) {
            return RandomNumbersTest.randomFloat(r, kind.endsWith("f4") ? 40 : 320);
        }
        StringBuilder s = new StringBuilder();
        if (r.nextInt(5) == 0) {
            s.append(kind.contains("u") || r.nextBoolean() ? '+' : '-');
        }
        if (r.nextInt(8) == 0) {
            s.append('0');
        }
        int digits = kind.equals("b1") ? 1 : 1 + r.nextInt(switch (kind) {
            case "i1", "u1" -> 3;
            case "i2", "u2" -> 5;
            case "i4", "u4", ">i4" -> 10;
            default -> 19;
        });
        for (int i = 0; i < digits; i++) {
            s.append((char) ('0' + (kind.equals("b1") ? r.nextInt(2) : r.nextInt(10))));
        }
        return s.toString();
    }

    /// Text that people's files hold where a number was meant, or that sits at a parser's edges.
    private static final String[] HOSTILE = {
            "", "x1", "1.5", "99999999999999999999", "1e400", "+", "-", ".", "e5", "1e", "1.e5", "0x10", "1_000",
            "-nan", "+inf", "Infinity", "nan(1)", "1,5", "1 5", "\u000b1", "1\u000c", "\u00e91", "caf\u00e9", "\u20ac1", "1\u00a0", "1\u0000",
            "'1'", "\"1\"", "1#2", "\r", "00000000000000000000000000000001", "-0", "-0.0", "1e-400", "4.9e-324",
            "18446744073709551616", "-9223372036854775809", "9223372036854775807", "255", "256", "-129", "65536",
    };

    private static String word(SplittableRandom r) {
        String letters = r.nextInt(10) == 0 ? "abcXYZ019._-\u00e9\u00ff\u00a0\u20ac#\"'" : "abcXYZ019._-";
        int n = r.nextInt(r.nextInt(10) == 0 ? 30 : 11);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(letters.charAt(r.nextInt(letters.length())));
        }
        return s.isEmpty() ? "w" : s.toString();
    }

    private static String escape(String text) {
        return text.replace("\r", "\\r").replace("\t", "\\t").replace("\n", "\\n");
    }
}
