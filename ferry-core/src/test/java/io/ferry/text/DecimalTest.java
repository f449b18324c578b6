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

    /// `head`, then `zeros` zeros, then `tail`, as the bytes of one token.
    private static byte[] token(String head, int zeros, String tail) {
        byte[] b = new byte[head.length() + zeros + tail.length()];
        head.getBytes(0, head.length(), b, 0);
        java.util.Arrays.fill(b, head.length(), head.length() + zeros, (byte) '0');
        tail.getBytes(0, tail.length(), b, head.length() + zeros);
        return b;
    }

    /// An exponent undoes the shift of the point by the digits before it however long they are (a
    /// token up to --max-line-bytes, 1 GiB): capped at 10^8, it left 150 million zeros' shift,
    /// and these read 0.0, inf (a false "too large" in strict mode) and 0.0. The expected values
    /// are Python's `float()`, which np.loadtxt calls; as a float32 (np.float32 of it) they are
    /// the same but the last, -1.2345679.
    @Test
    void anExponentUndoesTheShiftOfAHundredAndFiftyMillionDigits() {
        int n = 150_000_000;
        byte[] b = token("0.", n, "1e150000001");   // float('0.' + '0' * n + '1e150000001') == 1.0
        assertEquals(1.0, Decimal.value(b, 0, b.length));
        assertEquals(1.0f, (float) Decimal.value(b, 0, b.length));
        b = token("1", n, "e-150000000");          // float('1' + '0' * n + 'e-150000000') == 1.0
        assertEquals(1.0, Decimal.value(b, 0, b.length));
        assertEquals(1.0f, (float) Decimal.value(b, 0, b.length));
        // float('-0.' + '0' * n + '123456789012345678901e150000001') == -1.2345678901234567
        b = token("-0.", n, "123456789012345678901e150000001");
        assertEquals(-1.2345678901234567, Decimal.value(b, 0, b.length));
        assertEquals(-1.2345679f, (float) Decimal.value(b, 0, b.length));
    }

    /// An exponent of any length saturates rather than wraps: float('1e99999999999999999999') is
    /// inf, float('1e-99999999999999999999') is 0.0, and so are they past [Decimal#EXPONENT_CAP].
    @Test
    void anExponentPastAnyShiftSaturates() {
        assertEquals(Double.POSITIVE_INFINITY, value("1e99999999999999999999"));
        assertEquals(0.0, value("1e-99999999999999999999"));
        assertEquals(-0.0, value("-1e-99999999999999999999"));
        assertEquals(Double.POSITIVE_INFINITY, value("0.000001e" + Decimal.EXPONENT_CAP + "9"));
        assertEquals(0.0, value("1000000e-" + Decimal.EXPONENT_CAP));
        assertEquals(1.0, value("0.0000000001e10"));
    }
}
