package io.ferry;

import java.util.Locale;

/// Byte counts for people, in binary units (a `K` is 1024 bytes), both ways: `256M` on a command
/// line, `2.5 GiB` in a message. One rule everywhere, so what Ferry prints can be given back to it.
///
/// ```java
/// assert Sizes.parse("--memory", "256M") == 256L << 20;
/// assert Sizes.parse("--memory", "64kib") == 64L << 10;
/// assert Sizes.human(256L << 20).equals("256 MiB") && Sizes.human(1536).equals("1.5 KiB");
/// ```
public final class Sizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Sizes() {
    }

    /// {@return the bytes `text` says}: a positive number, with or without a unit `K`, `M`, `G` or
    /// `T` (powers of 1024; `KB`, `KiB` and lower case too) or `B`, such as `65536`, `64k`, `256M`,
    /// `1GiB`, and what [#human(long)] prints when it prints no decimals (`256 MiB`)
    /// @param what names the value in the message, such as `--memory`
    /// @throws IllegalArgumentException for anything else, zero, or more than a `long` holds,
    ///                                  saying `what` takes a size such as 256M
    public static long parse(String what, String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            long v = Long.parseLong(digits.strip());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " takes a size such as 256M, 1G or 65536, not '" + text + "'");
        }
    }

    /// {@return `bytes` in the largest binary unit that keeps a digit before the point}: `512 B`,
    /// `1.5 KiB`, `64 MiB`
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return fixed(v, v < 10 ? 1 : 0) + " " + UNITS[u];
    }

    /// {@return `v` (0 to 1e7) with `scale` decimals, as `String.format("%.<scale>f", v)` prints
    /// it}: rounded half up on the double's shortest decimal form. By hand, because the Formatter
    /// loads the locale's number formats and BigDecimal its tables, each 20 ms of a short run.
    ///
    /// ```java
    /// assert Sizes.fixed(2.345, 2).equals("2.35") && Sizes.fixed(0.04, 1).equals("0.0");
    /// ```
    public static String fixed(double v, int scale) {
        if (!(v >= 0 && v < 1e7) || scale < 0) {
            throw new IllegalArgumentException("fixed takes 0 <= v < 1e7 and a scale >= 0, not " + v + ", " + scale);
        }
        String t = Double.toString(v); // no exponent from 1e-3 to 1e7
        if (t.indexOf('E') >= 0) {     // below 1e-3: its digits, written out (rare: BigDecimal's cost is fine here)
            t = new java.math.BigDecimal(t).toPlainString();
        }
        int dot = t.indexOf('.');
        String fraction = t.substring(dot + 1) + "0".repeat(scale);
        long kept = Long.parseLong(t.substring(0, dot) + fraction.substring(0, scale));
        if (fraction.charAt(scale) >= '5') {
            kept++;
        }
        String digits = Long.toString(kept);
        if (scale == 0) {
            return digits;
        }
        digits = "0".repeat(Math.max(0, scale + 1 - digits.length())) + digits;
        return digits.substring(0, digits.length() - scale) + "." + digits.substring(digits.length() - scale);
    }
}
