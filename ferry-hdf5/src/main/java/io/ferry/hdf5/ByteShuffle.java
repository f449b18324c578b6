package io.ferry.hdf5;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/// HDF5's shuffle filter (`H5Z_FILTER_SHUFFLE`): a byte transpose by element size `s`. Of `n`
/// elements, byte `j` of element `i` goes to `j * n + i`: all first bytes, then all second bytes,
/// ... Bytes past the last whole element stay where they are. With `s = 1` it copies.
///
/// ```text
/// in  : a0 a1 a2 | b0 b1 b2 | c0 c1 c2       (s = 3, n = 3)
/// out : a0 b0 c0 | a1 b1 c1 | a2 b2 c2
/// ```
///
/// It has to be cheap beside deflate (which costs a few ns per byte), and a byte-at-a-time
/// gather is not: it is one load and one store per byte. For elements of 8 bytes or more,
/// this moves 8 × 8 byte tiles instead: 8 elements' bytes `j … j+7` are 8 longs, an 8 × 8 byte
/// matrix; transposed in registers (three rounds of masks and shifts), row `m` is byte `j+m`
/// of the 8 elements, stored as one long at `(j+m) * n + i`. When `s` is not a multiple of 8, the
/// last tile starts at `s - 8` and overlaps the one before it, writing a few bytes twice with the
/// same values. Shorter elements and the last `n % 8` elements go byte by byte.
///
/// Tiles are taken in blocks of about 64 KiB of elements, byte group by byte group, so the
/// block's input stays in L1/L2 across its byte groups (a pass over the whole chunk per byte
/// group would read it from memory again each time), and each output row is written in long
/// sequential runs.
final class ByteShuffle {
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ByteShuffle() {
    }

    /// Shuffles `in` into `out` (at least as long) for elements of `size` bytes; `in.byteSize()`
    /// bytes are written.
    static void shuffle(MemorySegment in, MemorySegment out, int size) {
        long bytes = in.byteSize();
        if (out.byteSize() < bytes) {
            throw new IllegalArgumentException("output of " + out.byteSize() + " bytes for " + bytes + " bytes");
        }
        long n = bytes / size;
        if (size <= 1 || n <= 1) {
            MemorySegment.copy(in, 0, out, 0, bytes);
            return;
        }
        long tiled = 0;
        if (size >= 8) {
            tiled = n & ~7L;
            shuffleTiles(in, out, size, n, tiled);
        }
        for (int j = 0; j < size; j++) {            // the elements no tile covered
            long dst = j * n;
            for (long i = tiled, src = tiled * size + j; i < n; i++, src += size) {
                out.set(ValueLayout.JAVA_BYTE, dst + i, in.get(ValueLayout.JAVA_BYTE, src));
            }
        }
        long tail = n * size;
        MemorySegment.copy(in, tail, out, tail, bytes - tail);
    }

    private static final long BLOCK_BYTES = 64 << 10;

    /// Elements `0 … tiled-1` (`tiled` a multiple of 8), in 8 × 8 tiles; `size >= 8`.
    private static void shuffleTiles(MemorySegment in, MemorySegment out, int size, long n, long tiled) {
        long block = Math.max(8, (BLOCK_BYTES / size) & ~7L);
        for (long first = 0; first < tiled; first += block) {
            long last = Math.min(tiled, first + block);
            for (int j = 0; j < size; j += 8) {
                int jj = Math.min(j, size - 8);      // the last tile overlaps when size % 8 != 0
                // One tile per pass, written out here rather than called: it is too big for
                // C2 to inline, and a call per tile costs half again the time.
                for (long i = first; i < last; i += 8) {
                    long at = i * size + jj;
                    // row k: bytes jj … jj+7 of element i+k (byte m of the row in bits 8m … 8m+7)
                    long r0 = in.get(LONG, at);
                    long r1 = in.get(LONG, at + size);
                    long r2 = in.get(LONG, at + 2L * size);
                    long r3 = in.get(LONG, at + 3L * size);
                    long r4 = in.get(LONG, at + 4L * size);
                    long r5 = in.get(LONG, at + 5L * size);
                    long r6 = in.get(LONG, at + 6L * size);
                    long r7 = in.get(LONG, at + 7L * size);
                    // Transpose as 2 × 2 blocks of 4 × 4, then of 2 × 2, then of single bytes: each
                    // round swaps the off-diagonal blocks of rows k and k + half.
                    long t;
                    t = ((r0 >>> 32) ^ r4) & M32; r4 ^= t; r0 ^= t << 32;
                    t = ((r1 >>> 32) ^ r5) & M32; r5 ^= t; r1 ^= t << 32;
                    t = ((r2 >>> 32) ^ r6) & M32; r6 ^= t; r2 ^= t << 32;
                    t = ((r3 >>> 32) ^ r7) & M32; r7 ^= t; r3 ^= t << 32;

                    t = ((r0 >>> 16) ^ r2) & M16; r2 ^= t; r0 ^= t << 16;
                    t = ((r1 >>> 16) ^ r3) & M16; r3 ^= t; r1 ^= t << 16;
                    t = ((r4 >>> 16) ^ r6) & M16; r6 ^= t; r4 ^= t << 16;
                    t = ((r5 >>> 16) ^ r7) & M16; r7 ^= t; r5 ^= t << 16;

                    t = ((r0 >>> 8) ^ r1) & M8; r1 ^= t; r0 ^= t << 8;
                    t = ((r2 >>> 8) ^ r3) & M8; r3 ^= t; r2 ^= t << 8;
                    t = ((r4 >>> 8) ^ r5) & M8; r5 ^= t; r4 ^= t << 8;
                    t = ((r6 >>> 8) ^ r7) & M8; r7 ^= t; r6 ^= t << 8;
                    // now row m holds byte jj+m of elements i … i+7
                    long dst = jj * n + i;
                    out.set(LONG, dst, r0);
                    out.set(LONG, dst + n, r1);
                    out.set(LONG, dst + 2 * n, r2);
                    out.set(LONG, dst + 3 * n, r3);
                    out.set(LONG, dst + 4 * n, r4);
                    out.set(LONG, dst + 5 * n, r5);
                    out.set(LONG, dst + 6 * n, r6);
                    out.set(LONG, dst + 7 * n, r7);
                }
            }
        }
    }

    private static final long M32 = 0x0000_0000_FFFF_FFFFL;
    private static final long M16 = 0x0000_FFFF_0000_FFFFL;
    private static final long M8 = 0x00FF_00FF_00FF_00FFL;
}
