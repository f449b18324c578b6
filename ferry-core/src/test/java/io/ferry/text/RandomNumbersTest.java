package io.ferry.text;

import io.ferry.dtype.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/// Random number text, with a fixed seed, read by Ferry and by numpy: equal bytes.
class RandomNumbersTest {
    @TempDir
    Path dir;

    /// A random float as people and programs write them: sign, 1 to 30 digits with or without a
    /// point anywhere, an exponent sometimes; now and then nan or inf in a random case.
    static String randomFloat(SplittableRandom r, int maxExponent) {
        StringBuilder s = new StringBuilder();
        int sign = r.nextInt(4);
        if (sign == 0) {
            s.append('-');
        } else if (sign == 1) {
            s.append('+');
        }
        if (r.nextInt(50) == 0) {
            String word = List.of("nan", "inf", "infinity").get(r.nextInt(3));
            for (char c : word.toCharArray()) {
                s.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
            }
            return s.toString();
        }
        int digits = r.nextInt(4) == 0 ? 1 + r.nextInt(30) : 1 + r.nextInt(9);
        int point = r.nextInt(digits + 2) - 1; // -1: no point
        for (int i = 0; i < digits; i++) {
            if (i == point) {
                s.append('.');
            }
            s.append((char) ('0' + (i == 0 && r.nextInt(3) > 0 ? 1 + r.nextInt(9) : r.nextInt(10))));
        }
        if (point == digits) {
            s.append('.');
        }
        if (r.nextInt(3) == 0) {
            s.append(r.nextBoolean() ? 'e' : 'E');
            int e = r.nextInt(2 * maxExponent + 1) - maxExponent;
            s.append(e >= 0 && r.nextBoolean() ? "+" : "").append(e);
        }
        return s.toString();
    }

    private Path write(String name, List<String> rows) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, rows);
        return f;
    }

    @Test
    void floatsEqualNumpysBitForBit() throws IOException {
        SplittableRandom r = new SplittableRandom(20261124);
        List<String> wide = new ArrayList<>();
        List<String> narrow = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            wide.add(randomFloat(r, 330) + " " + randomFloat(r, 330) + "\t" + randomFloat(r, 50));
            narrow.add(randomFloat(r, 30) + "," + randomFloat(r, 20) + ",  " + randomFloat(r, 36) + " ");
        }
        // near float32's halfway points: digits of (2k+1) * 2^(e-1) around a random float
        for (int i = 0; i < 5_000; i++) {
            float f = Float.intBitsToFloat(r.nextInt(0x7f7fffff));
            double half = ((double) f + (double) Math.nextUp(f)) / 2;
            narrow.add(new java.math.BigDecimal(half).toString() + "," + Float.toString(f) + "," + Math.nextDown(half));
        }
        Path w = write("wide.txt", wide);
        Path n = write("narrow.txt", narrow);
        LoadOptions lenient = LoadOptions.builder().lenient(true).build();
        LoadOptions comma = LoadOptions.builder().delimiter(',').build();
        List<NumpyLoadtxt.Case> cases = List.of(
                new NumpyLoadtxt.Case("f8, exponents to 330", w, DType.parse("f8"), "", lenient),
                new NumpyLoadtxt.Case("f4, exponents to 330 (lenient: inf)", w, DType.parse("f4"), "", lenient),
                new NumpyLoadtxt.Case("f4, lenient, comma", n, DType.parse("f4"), "delimiter=','",
                        comma.toBuilder().lenient(true).build()),
                new NumpyLoadtxt.Case(">f8, strict, comma", n, DType.parse(">f8"), "delimiter=','", comma));
        NumpyLoadtxt.assertAsNumpy(cases, dir);
    }

    @Test
    void integersEqualNumpys() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        List<NumpyLoadtxt.Case> cases = new ArrayList<>();
        for (String t : List.of("i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", ">i8", ">u4", "b1")) {
            int bits = t.endsWith("1") ? 8 : t.endsWith("2") ? 16 : t.endsWith("4") ? 32 : 64;
            boolean signed = t.contains("i") || t.equals("b1");
            List<String> rows = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                StringBuilder row = new StringBuilder();
                for (int c = 0; c < 3; c++) {
                    long v = r.nextLong() >>> (64 - r.nextInt(1, bits + 1));
                    String text = signed ? Long.toString(r.nextBoolean() ? v >> 1 : -(v >> 1) - (r.nextBoolean() ? 1 : 0))
                            : Long.toUnsignedString(bits == 64 ? v : v & ((1L << bits) - 1));
                    if (r.nextInt(10) == 0) {
                        text = (r.nextBoolean() ? "+" : "") + "000" + text.replace("-", "");
                    }
                    row.append(c == 0 ? "" : "\t").append(text);
                }
                rows.add(row.toString());
            }
            cases.add(new NumpyLoadtxt.Case(t, write(t + ".txt", rows), DType.parse(t), "", LoadOptions.DEFAULT));
        }
        NumpyLoadtxt.assertAsNumpy(cases, dir);
    }
}
