package io.ferry.text;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/// Eight bytes of text as one little-endian `long` (the first byte lowest), and tests that look
/// at all eight at once (SWAR, SIMD within a register): which bytes equal a given byte, which are
/// below a bound, how many digits come first, and what those digits are worth. The parse loop
/// finds field ends and converts numbers with these instead of a branch per byte.
///
/// ```text
///  text     6  6  .  6  7 \t  2 \t         bytes b[p .. p+7]
///  w        0x09_32_09_37_36_2e_36_36      load(b, p): b[p] is the lowest byte
///  mask     0x00_00_80_00_00_00_00_00      equal(w, repeat('\t')): the top bit of each match
///  first    5                              firstByte(mask): the tab is b[p+5]
/// ```
///
/// A mask is exact for its lowest match only: the borrow of a subtraction runs upwards from a
/// true match and may mark bytes after it, never before. Every caller uses the lowest.
final class EightBytes {
    /// The top bit of each byte: bytes at or above 0x80.
    static final long HIGH_BITS = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final VarHandle I64_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private EightBytes() {
    }

    /// {@return `b[p, p + 8)` as a little-endian long}
    static long load(byte[] b, int p) {
        return (long) I64_LE.get(b, p);
    }

    /// Stores `w` as `b[p, p + 8)`, little-endian.
    static void store(byte[] b, int p, long w) {
        I64_LE.set(b, p, w);
    }

    /// {@return the byte `c` in each of eight bytes}
    static long repeat(int c) {
        return ONES * (c & 0xff);
    }

    /// {@return the index (0 to 7) of the byte whose top bit is the lowest set in `mask`}
    static int firstByte(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

    /// {@return the top bit set in each byte of `w` equal to the byte in `pattern`}
    static long equal(long w, long pattern) {
        long x = w ^ pattern;
        return (x - ONES) & ~x & HIGH_BITS;
    }

    /// {@return the top bit set in each byte of `w` below `n`} (`n` at most 0x80)
    static long below(long w, int n) {
        return (w - ONES * n) & ~w & HIGH_BITS;
    }

    /// {@return how many of the bytes of `w` are ASCII digits before the first that is not}, 0 to 8
    static int digitCount(long w) {
        // A byte's top bit is set in (w - '0') when it is below '0', in (w + 0x46) when above '9',
        // in w when it is not ASCII. Borrows and carries only reach bytes after the first such byte.
        long nonDigit = ((w - 0x3030303030303030L) | (w + 0x4646464646464646L) | w) & HIGH_BITS;
        return Long.numberOfTrailingZeros(nonDigit) >>> 3;
    }

    /// {@return the value of the first `n` (1 to 8) bytes of `w`, ASCII digits}, without a branch
    /// per digit: fast_float's conversion, digits paired, then the pairs, then the quads
    static long digitsValue(long w, int n) {
        long v = (w - 0x3030303030303030L) << ((8 - n) << 3); // leading zeros in place of the bytes past n
        v = v * 10 + (v >>> 8);
        v = (((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
        return v & 0xFFFFFFFFL;
    }
}
