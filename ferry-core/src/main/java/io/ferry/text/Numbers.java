package io.ferry.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

import static io.ferry.text.RowPlan.BOOL;
import static io.ferry.text.RowPlan.F32;
import static io.ferry.text.RowPlan.F64;
import static io.ferry.text.RowPlan.I16;
import static io.ferry.text.RowPlan.I32;
import static io.ferry.text.RowPlan.I64;
import static io.ferry.text.RowPlan.I8;
import static io.ferry.text.RowPlan.U16;
import static io.ferry.text.RowPlan.U32;
import static io.ferry.text.RowPlan.U64;
import static io.ferry.text.RowPlan.U8;

/// Numbers from text into a row, in the output's byte order: the numbers stage.
///
/// The fast paths ([#fastInteger], [#fastFloat]) read the common forms straight from the line's
/// bytes, eight at a time ([EightBytes]): an integer of up to 18 digits, a decimal of up to 7
/// digits before and after its point. A decimal becomes a double with one integer conversion and
/// one division, exact by Clinger's rule: its digits (below 2^53) and the power of ten are exact
/// doubles, so the division rounds once, correctly. They return where the number stops (the
/// caller checks that the field ends there) or [RowLoop#NOT_TAKEN], having stored nothing: the caller
/// then reads the field again with [#store], the full conversion, which applies numpy's rules
/// and errors to any number.
final class Numbers {
    private static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L};

    private final RowPlan plan;
    private final boolean lenient;
    private final ParseErrors errors;

    Numbers(RowPlan plan, boolean lenient, ParseErrors errors) {
        this.plan = plan;
        this.lenient = lenient;
        this.errors = errors;
    }

    // ---- the fast paths -------------------------------------------------------------------------

    /// Stores the integer at `b[p]` as `kind` at `st[o]`: `[+-]` and up to 18 digits that fit.
    /// {@return the position after it, or [RowLoop#NOT_TAKEN]}
    static int fastInteger(byte[] b, int p, byte[] st, int o, int kind, boolean swapped) {
        long w = EightBytes.load(b, p);
        int n = EightBytes.digitCount(w);
        boolean negative = false;
        if (n == 0) { // a sign first, or no number
            int c = (int) w & 0xff;
            negative = c == '-';
            if (!negative && c != '+') {
                return RowLoop.NOT_TAKEN;
            }
            w = EightBytes.load(b, ++p);
            n = EightBytes.digitCount(w);
            if (n == 0) {
                return RowLoop.NOT_TAKEN;
            }
        }
        int digitsStart = p;
        long v = EightBytes.digitsValue(w, n);
        p += n;
        while (n == 8) {
            w = EightBytes.load(b, p);
            n = EightBytes.digitCount(w);
            if (n == 0) {
                break;
            }
            if (p + n - digitsStart > 18) {
                return RowLoop.NOT_TAKEN;
            }
            v = v * POW10[n] + EightBytes.digitsValue(w, n);
            p += n;
        }
        if (negative) {
            v = -v;
        }
        if (!fits(kind, v)) {
            return RowLoop.NOT_TAKEN;
        }
        storeInteger(st, o, kind, swapped, v);
        return p;
    }

    /// {@return whether `v`, of at most 18 digits, fits `kind`}
    private static boolean fits(int kind, long v) {
        return switch (kind) {
            case I8 -> (byte) v == v;
            case I16 -> (short) v == v;
            case I32 -> (int) v == v;
            case U8 -> (v & ~0xffL) == 0;
            case U16 -> (v & ~0xffffL) == 0;
            case U32 -> (v >>> 32) == 0;
            case U64 -> v >= 0;
            default -> true; // I64, BOOL
        };
    }

    /// Stores the decimal at `b[p]` as `kind` (F32 or F64) at `st[o]`: `[+-]`, up to 7 digits, and
    /// an optional point and up to 7 digits after it (one digit at least).
    /// {@return the position after it, or [RowLoop#NOT_TAKEN]}
    static int fastFloat(byte[] b, int p, byte[] st, int o, int kind, boolean swapped) {
        long w = EightBytes.load(b, p);
        int n = EightBytes.digitCount(w);
        boolean negative = false;
        if (n == 0) { // a sign, a point, or no number
            int c = (int) w & 0xff;
            negative = c == '-';
            if (negative || c == '+') {
                w = EightBytes.load(b, ++p);
                n = EightBytes.digitCount(w);
            }
        }
        if (n == 8) {
            return RowLoop.NOT_TAKEN;
        }
        if (((w >>> (n << 3)) & 0xff) == '.') {
            // Digits, '.', digits within these 8 bytes (66.67): squeeze the point out and
            // convert all the digits at once.
            long below = (1L << (n << 3)) - 1;
            long squeezed = (w & below) | ((w >>> 8) & ~below);
            int all = EightBytes.digitCount(squeezed);
            if (all > 0 && all < 7) { // < 7: the digits end inside this word
                double v = EightBytes.digitsValue(squeezed, all) / Decimal.POW10[all - n];
                storeFloat(st, o, kind, swapped, negative ? -v : v);
                return p + all + 1;
            }
        }
        return floatDigits(b, p, w, n, negative, st, o, kind, swapped);
    }

    /// The rest of [#fastFloat]: digits and a point not within one word, or no point.
    private static int floatDigits(byte[] b, int p, long w, int n, boolean negative, byte[] st, int o, int kind,
                                   boolean swapped) {
        long m = n == 0 ? 0 : EightBytes.digitsValue(w, n);
        p += n;
        int digits = n;
        int fraction = 0;
        if (b[p] == '.') {
            w = EightBytes.load(b, ++p);
            fraction = EightBytes.digitCount(w);
            if (fraction == 8) {
                return RowLoop.NOT_TAKEN;
            }
            if (fraction > 0) {
                m = m * POW10[fraction] + EightBytes.digitsValue(w, fraction);
                p += fraction;
                digits += fraction;
            }
        }
        if (digits == 0) {
            return RowLoop.NOT_TAKEN;
        }
        // Clinger: m < 10^14 < 2^53 and 10^fraction are exact doubles, so this rounds once.
        double v = m / Decimal.POW10[fraction];
        storeFloat(st, o, kind, swapped, negative ? -v : v);
        return p;
    }

    // ---- the full conversion --------------------------------------------------------------------

    /// Stores the number `t[s, e)` (no whitespace around it) as output `j`, read from column `c`,
    /// at `st[o]`, as numpy converts it; `at` is where it starts in the line, for an error.
    /// @throws TextParseException for text numpy refuses, or (strict) reads as a value it is not
    void store(byte[] t, int s, int e, byte[] st, int o, int j, int c, int at) {
        int kind = plan.outKind[j];
        boolean swap = plan.outSwap[j];
        if (kind == F32 || kind == F64) {
            if (!Decimal.isNumber(t, s, e)) {
                throw errors.notANumber(t, s, e, j, c, at);
            }
            double v = Decimal.value(t, s, e);
            boolean infinite = kind == F32 ? Float.isInfinite((float) v) : Double.isInfinite(v);
            if (infinite && !lenient && !Decimal.isInfinityWord(t, s, e)) {
                throw errors.floatOverflow(t, s, e, j, c, at, v < 0);
            }
            if (kind == F32 && Double.isNaN(v)) { // CPython's NaN, with its sign, as a float32
                store32(st, o, swap, Double.doubleToRawLongBits(v) < 0 ? Decimal.NEGATIVE_NAN_F : Decimal.POSITIVE_NAN_F);
            } else {
                storeFloat(st, o, kind, swap, v);
            }
            return;
        }
        if (Decimal.isInteger(t, s, e)) {
            BigInteger[] range = bigRange(kind, plan.outMin[j], plan.outMax[j]);
            BigInteger big = Decimal.integerValue(t, s, e);
            if (big != null && big.compareTo(range[0]) >= 0 && big.compareTo(range[1]) <= 0) {
                storeInteger(st, o, kind, swap, big.longValue());
                return;
            }
            if (!lenient || kind == BOOL) {
                throw errors.outOfRange(t, s, e, j, c, at, range[0], range[1]);
            }
        } else if (Decimal.isNumber(t, s, e)) {
            if (!lenient || kind == BOOL) {
                throw errors.notAnInteger(t, s, e, j, c, at);
            }
        } else {
            throw errors.notANumber(t, s, e, j, c, at);
        }
        // numpy: an integer that does not parse as one is parsed as a float64 and cast by C.
        double d = Decimal.value(t, s, e);
        long v = switch (kind) {
            case I8, I16, U8, U16, I32 -> Decimal.cvt32(d);
            case U32, I64 -> Decimal.cvt64(d);
            default -> Decimal.cvtU64(d);
        };
        storeInteger(st, o, kind, swap, v);
    }

    /// {@return the range of integer `kind`, whose range as signed longs is `[min, max]`}
    private static BigInteger[] bigRange(int kind, long min, long max) {
        if (kind == U64) {
            return new BigInteger[]{BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)};
        }
        return new BigInteger[]{BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }

    // ---- storing --------------------------------------------------------------------------------

    /// Stores `v` as integer `kind` at `st[o]`, byte-swapped (big-endian) if `swap`.
    private static void storeInteger(byte[] st, int o, int kind, boolean swap, long v) {
        switch (kind) {
            case BOOL -> st[o] = (byte) (v != 0 ? 1 : 0);
            case I8, U8 -> st[o] = (byte) v;
            case I16, U16 -> I16_LE.set(st, o, swap ? Short.reverseBytes((short) v) : (short) v);
            case I32, U32 -> store32(st, o, swap, (int) v);
            default -> store64(st, o, swap, v);
        }
    }

    /// Stores `v` as `kind` (F32 or F64) at `st[o]`, byte-swapped (big-endian) if `swap`.
    private static void storeFloat(byte[] st, int o, int kind, boolean swap, double v) {
        if (kind == F32) {
            store32(st, o, swap, Float.floatToRawIntBits((float) v));
        } else {
            store64(st, o, swap, Double.doubleToRawLongBits(v));
        }
    }

    private static void store32(byte[] st, int o, boolean swap, int bits) {
        I32_LE.set(st, o, swap ? Integer.reverseBytes(bits) : bits);
    }

    private static void store64(byte[] st, int o, boolean swap, long bits) {
        EightBytes.store(st, o, swap ? Long.reverseBytes(bits) : bits);
    }
}
