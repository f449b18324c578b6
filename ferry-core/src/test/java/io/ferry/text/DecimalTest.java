package io.ferry.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/// [Decimal#value] is `Double.parseDouble`, bit for bit, and reads a number of any length in
/// constant memory where its magnitude alone decides it.
class DecimalTest {
    private static double value(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return Decimal.value(b, 0, b.length);
    }

    /// Around the largest double and the least: the shortcuts (at least 1e309 is inf, below 1e-324
    /// is zero) agree with parseDouble at their edges and either side.
    @Test
    void theEdgesOfTheDoublesAsParseDoubleReadsThem() {
        List<String> tokens = new ArrayList<>(List.of("1e308", "1.7976931348623157e308", "1.7976931348623158e308",
                "1.7976931348623159e308", "1.8e308", "9.99e308", "1e309", "10e308", "0.1e310", "-1e309", "4.9e-324",
                "2.5e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1e-324", "0.99e-323", "-1e-325",
                "1e-400", "-0.000001e-320", "123456789012345678901234e285", "0.000000000000000000001e-303"));
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            int exp = (r.nextBoolean() ? 300 : -330) + r.nextInt(30);
            StringBuilder digits = new StringBuilder();
            int n = 1 + r.nextInt(30);
            for (int k = 0; k < n; k++) {
                digits.append((char) ('0' + r.nextInt(10)));
            }
            int point = r.nextInt(n + 1);
            digits.insert(point, '.');
            tokens.add((r.nextBoolean() ? "-" : "") + digits + "e" + exp);
        }
        for (String t : tokens) {
            if (t.matches("-?\\.e.*")) {
                continue;   // no digit at all
            }
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(t)), Double.doubleToRawLongBits(value(t)), t);
        }
    }

    /// A 60 MB number: it ran a worker JVM out of its heap, copied for parseDouble.
    @Test
    void aNumberOfSixtyMillionDigitsIsInfinityWithoutACopy() {
        byte[] b = new byte[60_000_000];
        java.util.Arrays.fill(b, (byte) '1');
        assertEquals(Double.POSITIVE_INFINITY, Decimal.value(b, 0, b.length));
        b[0] = '-';
        assertEquals(Double.NEGATIVE_INFINITY, Decimal.value(b, 0, b.length));
        b[0] = '.';
        b[1] = '0';
        // .0111...: a magnitude parseDouble alone decides (0.0111...)
        assertEquals(Double.parseDouble(".0" + "1".repeat(400)), Decimal.value(b, 0, b.length));
    }
}
