package io.ferry.text;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/// Decimal text to numbers, from bytes, as CPython's `PyOS_string_to_double` reads them (which is
/// what `np.loadtxt` calls): `[+-]` digits with an optional `.` and `e[+-]digits`, or `nan`, `inf`,
/// `infinity` in any case, nothing else (no hex, no `_`, no `d` exponent).
///
/// Values are correctly rounded. Most come from Clinger's fast path: a decimal mantissa below 2^53
/// and a power of ten up to 22 are both exact doubles, so one IEEE multiply or divide rounds the
/// exact value once. The rest go to [Double#parseDouble], correctly rounded too.
final class Decimal {
    static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
            1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    static final long POSITIVE_NAN = 0x7ff8000000000000L;
    static final long NEGATIVE_NAN = 0xfff8000000000000L;
    static final int POSITIVE_NAN_F = 0x7fc00000;
    static final int NEGATIVE_NAN_F = 0xffc00000;
    private static final double TWO_63 = 0x1p63;
    /// Where an exponent's digits stop counting: past any shift of the point that a token's digits
    /// make (fewer than 2^31 of them), so the sum of the two is still past 1e309 or below 1e-324.
    /// An exponent capped at 10^8 undid the shift of a 150 MB token, `"0." + "0" * 150_000_000 +
    /// "1e150000001"`: 0.0 where Python reads 1.0.
    static final long EXPONENT_CAP = 1L << 40;
    /// A power of ten that decides the value alone, as inf or zero, and leaves an int room for
    /// the digits' count beside it.
    private static final int BEYOND_ANY_DOUBLE = 1 << 30;

    private Decimal() {
    }

    /// {@return whether `b[from, to)` is a number CPython's float parser accepts in full}
    static boolean isNumber(byte[] b, int from, int to) {
        int p = from;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            p++;
        }
        if (p < to && isLetter(b[p])) {
            return special(b, p, to) != 0;
        }
        int digits = 0;
        while (p < to && isDigit(b[p])) {
            p++;
            digits++;
        }
        if (p < to && b[p] == '.') {
            p++;
            while (p < to && isDigit(b[p])) {
                p++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (p < to && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < to && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int e = 0;
            while (p < to && isDigit(b[p])) {
                p++;
                e++;
            }
            if (e == 0) {
                return false;
            }
        }
        return p == to;
    }

    /// {@return whether `b[from, to)` is `[+-]digits`}
    static boolean isInteger(byte[] b, int from, int to) {
        int p = from;
        if (p < to && (b[p] == '+' || b[p] == '-')) {
            p++;
        }
        if (p == to) {
            return false;
        }
        for (; p < to; p++) {
            if (!isDigit(b[p])) {
                return false;
            }
        }
        return true;
    }

    /// {@return the value of `b[from, to)`, which [#isInteger] accepts, or null when it has more
    /// than 20 digits after its leading zeros (beyond every integer type)}: the length is checked
    /// first, so a megabyte of digits costs one pass, not a quadratic conversion
    static BigInteger integerValue(byte[] b, int from, int to) {
        int p = from;
        boolean negative = b[p] == '-';
        if (b[p] == '+' || b[p] == '-') {
            p++;
        }
        while (p < to - 1 && b[p] == '0') {
            p++;
        }
        if (to - p > 20) {
            return null;
        }
        BigInteger v = new BigInteger(new String(b, p, to - p, StandardCharsets.ISO_8859_1));
        return negative ? v.negate() : v;
    }

    /// {@return whether `b[from, to)`, a valid number, is `inf` or `infinity` with an optional sign}
    static boolean isInfinityWord(byte[] b, int from, int to) {
        int p = from;
        if (b[p] == '+' || b[p] == '-') {
            p++;
        }
        return isLetter(b[p]) && special(b, p, to) == 1;
    }

    /// {@return the double of `b[from, to)`, which [#isNumber] accepts}; `-nan` has its sign bit
    /// set, as CPython gives it.
    static double value(byte[] b, int from, int to) {
        int p = from;
        boolean negative = b[p] == '-';
        if (b[p] == '+' || b[p] == '-') {
            p++;
        }
        if (isLetter(b[p])) {
            if (special(b, p, to) == 1) {
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            return Double.longBitsToDouble(negative ? NEGATIVE_NAN : POSITIVE_NAN);
        }
        long m = 0;
        int exp10 = 0;
        int significant = 0;
        boolean exact = true;
        for (; p < to && isDigit(b[p]); p++) {
            int d = b[p] - '0';
            if (significant < 18) {
                m = m * 10 + d;
                significant += m == 0 ? 0 : 1;
            } else {
                exp10++;
                exact &= d == 0;
            }
        }
        if (p < to && b[p] == '.') {
            for (p++; p < to && isDigit(b[p]); p++) {
                int d = b[p] - '0';
                if (significant < 18) {
                    m = m * 10 + d;
                    significant += m == 0 ? 0 : 1;
                    exp10--;
                } else {
                    exact &= d == 0;
                }
            }
        }
        if (p < to) { // exponent
            p++;
            boolean negExp = b[p] == '-';
            if (b[p] == '+' || b[p] == '-') {
                p++;
            }
            long e = 0;
            for (; p < to; p++) {
                e = Math.min(e * 10 + (b[p] - '0'), EXPONENT_CAP);
            }
            // past 1e309 or below 1e-324 alike, and exp10 stays an int with room for significant
            exp10 = Math.clamp(exp10 + (negExp ? -e : e), -BEYOND_ANY_DOUBLE, BEYOND_ANY_DOUBLE);
        }
        double v;
        if (m == 0) {
            v = 0.0;
        } else if (significant - 1 + exp10 >= 309) {
            // at least 1e309, past the largest double: inf whatever the digits after, and no copy
            // of a token that may be 60 MB long for parseDouble, which ran a worker out of heap
            v = Double.POSITIVE_INFINITY;
        } else if (significant + exp10 <= -324) {
            v = 0.0;   // below 1e-324, under half the least double: it rounds to zero
        } else if (exact && m < (1L << 53) && exp10 >= -22 && exp10 <= 22) {
            v = exp10 >= 0 ? m * POW10[exp10] : m / POW10[-exp10];
        } else {
            v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1)); // linear in length
            return v;
        }
        return negative ? -v : v;
    }

    /// {@return 1 for `inf`/`infinity`, 2 for `nan`, 0 otherwise, in any case, filling `b[p, to)`}
    private static int special(byte[] b, int p, int to) {
        int n = to - p;
        if (n == 3 && lower(b[p]) == 'n' && lower(b[p + 1]) == 'a' && lower(b[p + 2]) == 'n') {
            return 2;
        }
        if ((n == 3 || n == 8) && lower(b[p]) == 'i' && lower(b[p + 1]) == 'n' && lower(b[p + 2]) == 'f') {
            if (n == 3) {
                return 1;
            }
            return lower(b[p + 3]) == 'i' && lower(b[p + 4]) == 'n' && lower(b[p + 5]) == 'i'
                    && lower(b[p + 6]) == 't' && lower(b[p + 7]) == 'y' ? 1 : 0;
        }
        return 0;
    }

    private static int lower(byte c) {
        return c | 0x20;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(byte c) {
        int l = c | 0x20;
        return l >= 'a' && l <= 'z';
    }

    /// `(int32_t) d` as x86-64 computes it (`cvttsd2si`): truncation, and INT32_MIN for NaN or out of range.
    static int cvt32(double d) {
        return d > -2147483649.0 && d < 2147483648.0 ? (int) d : Integer.MIN_VALUE;
    }

    /// `(int64_t) d` as x86-64 computes it: truncation, and INT64_MIN for NaN or out of range.
    static long cvt64(double d) {
        return d >= -TWO_63 && d < TWO_63 ? (long) d : Long.MIN_VALUE;
    }

    /// `(uint64_t) d` as GCC compiles it for x86-64: below 2^63 (or NaN) one `cvttsd2si`, else one of
    /// `d - 2^63` with the top bit flipped.
    static long cvtU64(double d) {
        return d >= TWO_63 ? cvt64(d - TWO_63) ^ Long.MIN_VALUE : cvt64(d);
    }
}
