package io.ferry.array;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/// Python's `repr` of floats and bytes, for numpy-style printing; [#bytesRepr(byte[])] for
/// messages that show bytes as a Python user would type them.
public final class PythonFormat {
    private PythonFormat() {
    }

    /// {@return `bytes` as Python's `repr` writes them}, `b'caf\xe9'` for the Latin-1 bytes of
    /// "café" (trailing NULs dropped, as numpy drops them from an `S<n>` value)
    public static String bytesRepr(byte[] bytes) {
        return bytesRepr(MemorySegment.ofArray(bytes));
    }

    /// `repr(float)`: the fewest digits that read back as `d`, positional for 1e-4 <= |d| < 1e16.
    static String doubleRepr(double d) {
        if (special(d) != null) {
            return special(d);
        }
        Digits digits = Digits.of(Double.toString(d), t -> Double.parseDouble(t) == d);
        return digits.layout(digits.exponent() >= -4 && digits.exponent() < 16);
    }

    /// A float32 as numpy prints it: the fewest digits that read back as `f`, positional when the
    /// value itself (not its digits: `1e-04` is a float32 below 1e-4) is in [1e-4, 1e16).
    static String floatRepr(float f) {
        if (special(f) != null) {
            return special(f);
        }
        double abs = Math.abs((double) f);
        Digits digits = Digits.of(Float.toString(f), t -> Float.parseFloat(t) == f);
        return digits.layout(f == 0 || abs >= 1e-4 && abs < 1e16);
    }

    private static String special(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return null;
    }

    /// A number's significant digits (no leading or trailing zero; empty for zero) and the decimal
    /// exponent of the first. Taken apart as text: `BigDecimal`, the obvious tool, spends 30 ms of
    /// a JVM's first use on its static tables, as long as a whole one-line `ferry load` takes to
    /// print.
    private record Digits(boolean negative, String digits, int exponent) {
        /// {@return the digits of Java's shortest repr (`123.45`, `1.0E-5`), as Python chooses
        /// them}: Java writes at least two digits and, where one would do, the two closest to the
        /// value (`4.9E-324`); Python the one digit (`5e-324`). `readsBack` says whether a text is
        /// the same number.
        static Digits of(String javaRepr, java.util.function.Predicate<String> readsBack) {
            boolean negative = javaRepr.charAt(0) == '-';
            String s = negative ? javaRepr.substring(1) : javaRepr;
            int e = s.indexOf('E');
            String mantissa = e < 0 ? s : s.substring(0, e);
            int dot = mantissa.indexOf('.');
            String all = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
            int point = dot + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1))); // after this many of `all`
            int first = 0;
            while (first < all.length() && all.charAt(first) == '0') {
                first++;
            }
            if (first == all.length()) {
                return new Digits(negative, "", 0);
            }
            int last = all.length();
            while (all.charAt(last - 1) == '0') {
                last--;
            }
            Digits d = new Digits(negative, all.substring(first, last), point - first - 1);
            return d.digits.length() == 2 ? d.oneDigitIfItReadsBack(readsBack) : d;
        }

        private Digits oneDigitIfItReadsBack(java.util.function.Predicate<String> readsBack) {
            int lead = digits.charAt(0) - '0';
            boolean upFirst = digits.charAt(1) >= '5';
            for (int candidate : upFirst ? new int[] {lead + 1, lead} : new int[] {lead, lead + 1}) {
                Digits one = candidate == 10 ? new Digits(negative, "1", exponent + 1)
                        : new Digits(negative, String.valueOf(candidate), exponent);
                if (readsBack.test((negative ? "-" : "") + one.digits + "E" + one.exponent)) {
                    return one;
                }
            }
            return this;
        }

        /// {@return the number written out}, positional (`0.001`, `100.0`) or scientific (`1e-05`, `1.5e+300`)
        String layout(boolean positional) {
            String sign = negative ? "-" : "";
            if (digits.isEmpty()) {
                return sign + "0.0";
            }
            if (!positional) {
                String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
                return sign + mant + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
            }
            if (exponent < 0) {
                return sign + "0." + "0".repeat(-exponent - 1) + digits;
            }
            int whole = exponent + 1;
            return digits.length() > whole ? sign + digits.substring(0, whole) + "." + digits.substring(whole)
                    : sign + digits + "0".repeat(whole - digits.length()) + ".0";
        }
    }

    /// `b'chr1'`: trailing NULs dropped as numpy does for `S<n>`, other bytes escaped as Python does.
    static String bytesRepr(MemorySegment s) {
        int n = (int) s.byteSize();
        while (n > 0 && s.get(ValueLayout.JAVA_BYTE, n - 1) == 0) {
            n--;
        }
        boolean hasSingle = false, hasDouble = false;
        for (int i = 0; i < n; i++) {
            byte c = s.get(ValueLayout.JAVA_BYTE, i);
            hasSingle |= c == '\'';
            hasDouble |= c == '"';
        }
        char q = hasSingle && !hasDouble ? '"' : '\'';
        StringBuilder b = new StringBuilder(n + 3).append('b').append(q);
        for (int i = 0; i < n; i++) {
            int c = s.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c == q) {
                        b.append('\\').append((char) c);
                    } else if (c < 0x20 || c >= 0x7f) {
                        b.append(String.format("\\x%02x", c));
                    } else {
                        b.append((char) c);
                    }
                }
            }
        }
        return b.append(q).toString();
    }
}
