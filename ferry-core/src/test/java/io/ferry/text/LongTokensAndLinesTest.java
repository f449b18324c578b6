package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.text.NumpyLoadtxt.Case;
import io.ferry.text.NumpyLoadtxt.Expect;
import io.ferry.text.TextParseException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/// Long number tokens cost time in proportion to their length (an integer longer than any value of
/// its type is an error at once; it took 40 s for a megabyte of digits).
class LongTokensAndLinesTest {
    private static final int MIB = 1 << 20;
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.ISO_8859_1);
    }

    private static NdArray load(Path f, String dtype, LoadOptions options, Arena arena) throws IOException {
        return TextLoader.of(DType.parse(dtype), options).load(f, arena);
    }

    private static TextParseException refused(Path f, String dtype, LoadOptions options) {
        return assertTimeoutPreemptively(QUICK, () -> {
            try (Arena arena = Arena.ofConfined()) {
                return assertThrows(TextParseException.class, () -> load(f, dtype, options, arena));
            }
        });
    }

    @Test
    void megabytesOfDigitsAreAnIntegerErrorAtOnce() throws IOException {
        for (int mb : new int[]{1, 4}) {
            Path f = file("digits" + mb + ".txt", "1 2\n3 " + "7".repeat(mb * MIB) + "\n");
            for (String t : List.of("i4", "i8", "u8", "b1")) {
                TextParseException e = refused(f, t, LoadOptions.DEFAULT);
                assertEquals(Problem.OUT_OF_RANGE, e.problem(), t);
                assertEquals(2, e.line());
                assertTrue(e.getMessage().endsWith("77777777... is out of range for " + DType.parse(t).scalar().str()
                        + (t.equals("b1") ? " (-9223372036854775808..9223372036854775807)" : "")
                        + (t.equals("i4") ? " (-2147483648..2147483647)" : "")
                        + (t.equals("i8") ? " (-9223372036854775808..9223372036854775807)" : "")
                        + (t.equals("u8") ? " (0..18446744073709551615)" : "")), e.getMessage());
            }
        }
    }

    /// numpy's values, each read within the time limit: leading zeros of any length, lenient
    /// integers past their type (numpy's float cast), floats of a megabyte of digits.
    @Test
    void longTokensGiveNumpysValues() throws IOException {
        List<Case> cases = new ArrayList<>();
        LoadOptions lenient = LoadOptions.builder().lenient(true).build();
        String zeros = "0".repeat(MIB);
        cases.add(new Case("a megabyte of leading zeros, i4", file("z.txt", zeros + "7 -" + zeros + "8\n"),
                DType.parse("i4"), "", LoadOptions.DEFAULT));
        cases.add(new Case("a megabyte of leading zeros, u8", file("zu.txt", zeros + "18446744073709551615 1\n"),
                DType.parse("u8"), "", LoadOptions.DEFAULT));
        Path digits = file("d.txt", "1".repeat(MIB) + " -" + "9".repeat(MIB) + "\n");
        for (String t : List.of("i1", "i4", "i8", "u4", "u8")) {
            cases.add(new Case("a megabyte of digits, lenient " + t, digits, DType.parse(t), "", lenient));
        }
        Path floats = file("f.txt", "1." + "3".repeat(MIB) + " 0." + zeros + "123 " + "3".repeat(MIB) + "e-" + MIB
                + " 1" + zeros + "e-1048570\n");
        cases.add(new Case("a megabyte of float digits, f8", floats, DType.parse("f8"), "", LoadOptions.DEFAULT));
        cases.add(new Case("a megabyte of float digits, f4", floats, DType.parse("f4"), "", LoadOptions.DEFAULT));
        cases.add(new Case("a megabyte of float digits, delimited", file("fd.csv", "1." + "3".repeat(MIB) + " ,2\n"),
                DType.parse("f8"), "delimiter=','", LoadOptions.builder().delimiter(',').build()));
        Path huge = file("o.txt", "3".repeat(MIB) + "\n");
        cases.add(new Case("a megabyte of digits is inf: strict refuses", huge, DType.parse("f8"), "",
                () -> LoadOptions.DEFAULT, Expect.REFUSED_BY_FERRY, 1, false));
        cases.add(new Case("a megabyte of digits is inf: lenient", huge, DType.parse("f8"), "", lenient));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> NumpyLoadtxt.assertAsNumpy(cases, dir));
    }
}
