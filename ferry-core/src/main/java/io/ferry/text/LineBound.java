package io.ferry.text;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/// An upper bound on the lines that start in a byte range of a plain file, found by counting its
/// `'\n'` and `'\r'` bytes eight at a time: what an array to parse the range into must hold.
///
/// A line starting at `p > 0` follows a break byte at `p - 1`, so the lines starting in
/// `[start, end)` are at most the break bytes in `[start, end)` plus one (the line that may start
/// at `start` itself). `\r\n` counts twice; the bound is loose there, never short.
final class LineBound {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long NL = EightBytes.repeat('\n');
    private static final long CR = EightBytes.repeat('\r');

    private LineBound() {
    }

    /// {@return at least as many as the lines of `file`, whose size is `size`}
    static long lines(Path file, long size) throws IOException {
        return size <= 0 ? 0 : breaks(file, 0, size) + 1;
    }

    /// {@return the line break bytes of `file` in `[start, end)`} (none past its end)
    static long breaks(Path file, long start, long end) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long to = Math.min(end, ch.size());
            return to <= start ? 0 : breaks(ch.map(FileChannel.MapMode.READ_ONLY, start, to - start, arena));
        }
    }

    /// {@return at least as many as the data rows `bytes` bytes of text can hold}, without reading
    /// them: a row has a byte of its own and, unless it is the last, a line break after it (a
    /// blank line is no row), so at most half the bytes, rounded up. Loose, often by ten times:
    /// for memory that costs nothing until it is written.
    static long rowsIn(long bytes) {
        return (Math.max(0, bytes) + 1) / 2;
    }

    /// {@return the bytes of `text` that are `'\n'` or `'\r'`}
    static long breaks(MemorySegment text) {
        long size = text.byteSize();
        long words = size & ~7L;
        long count = 0;
        for (long at = 0; at < words; at += 8) {
            long w = text.get(WORD, at);
            count += Long.bitCount(zeroBytes(w ^ NL) | zeroBytes(w ^ CR));
        }
        for (long at = words; at < size; at++) {
            byte b = text.get(ValueLayout.JAVA_BYTE, at);
            count += b == '\n' || b == '\r' ? 1 : 0;
        }
        return count;
    }

    /// {@return the top bit set in exactly the bytes of `x` that are 0}: no borrow crosses a byte,
    /// unlike [EightBytes#equal], which is exact only for its lowest match
    private static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }
}
