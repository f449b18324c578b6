package io.ferry.text;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/// An upper bound on the lines that start in a byte range of a plain file, found by counting its
/// `'\n'` and `'\r'` bytes eight at a time: what an array to parse the range into must hold.
///
/// A line starting at `p > 0` follows a break byte at `p - 1`, so the lines starting in
/// `[start, end)` are at most the break bytes in `[start - 1, end - 1)` ([#breaksBefore]), plus
/// the line at 0 when `start` is 0 ([#firstLine]): exactly the lines, for `\n` line ends, so the
/// rows of a range counted so and of the next one meet without a gap between them. `\r\n` counts
/// twice; the bound is loose there, never short.
final class LineBound {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
    private static final long NL = EightBytes.repeat('\n');
    private static final long CR = EightBytes.repeat('\r');
    private static final long BUFFER_BYTES = 1 << 20;

    private LineBound() {
    }

    /// {@return where the break bytes before the lines that start in `cut` are}: `[start - 1, end - 1)`
    static ByteRange breaksBefore(ByteRange cut) {
        return new ByteRange(Math.max(0, cut.start() - 1), Math.max(0, cut.end() - 1));
    }

    /// {@return the line that starts at 0, no break before it, if `cut` holds it}: 1 or 0
    static long firstLine(ByteRange cut) {
        return cut.start() == 0 && cut.end() > 0 ? 1 : 0;
    }

    /// {@return at least as many as the lines of `file`, whose size is `size`}
    static long lines(Path file, long size) throws IOException {
        return size <= 0 ? 0 : breaks(file, 0, size) + 1;
    }

    /// {@return the line break bytes of `file` in `[start, end)`} (none past its end)
    ///
    /// Read a megabyte at a time into one buffer, not mapped: where a virtual machine's hypervisor
    /// shadows its page tables (as on Ferry's own test machine) every page first touched through a
    /// mapping costs microseconds, and counting 60 MB took 37-61 ms mapped against 7-8 ms read,
    /// once compiled (cold, at a run's start: 187 ms against 38).
    static long breaks(Path file, long start, long end) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long to = Math.min(end, ch.size());
            if (to <= start) {
                return 0;
            }
            MemorySegment buffer = arena.allocate(Math.min(BUFFER_BYTES, to - start), 8);
            ByteBuffer bb = buffer.asByteBuffer();
            long count = 0;
            for (long at = start; at < to; ) {
                bb.clear().limit((int) Math.min(bb.capacity(), to - at));
                int n = ch.read(bb, at);
                if (n <= 0) { // the file shrank since its size was read: what was there is counted
                    break;
                }
                count += breaks(buffer.asSlice(0, n));
                at += n;
            }
            return count;
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
