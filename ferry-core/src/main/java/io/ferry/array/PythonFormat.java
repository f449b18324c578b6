package io.ferry.array;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;

/// Python's `repr` of floats and bytes, for numpy-style printing.
final class PythonFormat {
    private PythonFormat() {
    }

    static String doubleRepr(double d) {
        return special(d) != null ? special(d) : shortest(Double.toString(d));
    }

    /// A float32 prints with the fewest digits that round-trip as float32, as numpy prints it.
    static String floatRepr(float f) {
        return special(f) != null ? special(f) : shortest(Float.toString(f));
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

    /// Rewrites Java's shortest digits in Python's layout: positional for 1e-4 <= |x| < 1e16.
    private static String shortest(String javaRepr) {
        BigDecimal b = new BigDecimal(javaRepr).stripTrailingZeros();
        if (b.signum() == 0) {
            return javaRepr.startsWith("-") ? "-0.0" : "0.0";
        }
        String digits = b.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - b.scale(); // decimal exponent of the first digit
        String sign = b.signum() < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = b.abs().toPlainString();
        return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
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
