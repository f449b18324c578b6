package io.ferry.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/// Line breaks as the loader reads them: `\n`, `\r\n` and a lone `\r` each end a line (Python's
/// universal newlines, which numpy's `loadtxt` reads through). Found in a buffer eight bytes at a
/// time, and counted in a file.
final class LineBreaks {
    private static final long NL_WORD = EightBytes.repeat('\n');
    private static final long CR_WORD = EightBytes.repeat('\r');

    private LineBreaks() {
    }

    /// {@return the index of the first line break ('\n' or '\r') at or after `p`}; one must follow,
    /// and the array must hold 8 bytes past it
    static int breakAt(byte[] b, int p) {
        while (true) {
            long w = EightBytes.load(b, p);
            long hit = EightBytes.equal(w, NL_WORD) | EightBytes.equal(w, CR_WORD); // lowest of either exact
            if (hit != 0) {
                return p + EightBytes.firstByte(hit);
            }
            p += 8;
        }
    }

    /// {@return the start of the line after the break at `b[at]`} (`\r\n` is one break)
    static int after(byte[] b, int at) {
        return b[at] == '\r' && b[at + 1] == '\n' ? at + 2 : at + 1;
    }

    /// {@return the start of the line after the one that holds `b[p]`}
    static int nextLine(byte[] b, int p) {
        return after(b, breakAt(b, p));
    }

    /// {@return the line breaks in `ch` before `end`, stopping once `cap` are counted}; `end` is a
    /// line's start (or the file's end), so a '\r' just before it is a break
    static long count(FileChannel ch, long end, long cap) throws IOException {
        Counter counter = new Counter();
        ByteBuffer bb = ByteBuffer.allocate(1 << 16);
        long at = 0;
        while (at < end && counter.breaks() < cap) {
            bb.clear().limit((int) Math.min(bb.capacity(), end - at));
            int n = ch.read(bb, at);
            if (n < 0) {
                break;
            }
            counter.add(bb.array(), 0, n);
            at += n;
        }
        return counter.breaks();
    }

    /// Counts the line breaks of a text handed over in pieces: a "\r\n" split between two pieces
    /// is one break, and a '\r' last in the text a break.
    static final class Counter {
        private long count;
        /// Whether the last byte was a '\r' not yet counted.
        private boolean cr;

        void add(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                byte c = b[i];
                if (c == '\n') {
                    count++;
                    cr = false;
                } else {
                    count += cr ? 1 : 0;
                    cr = c == '\r';
                }
            }
        }

        /// {@return the breaks so far}, a '\r' last among them included
        long breaks() {
            return count + (cr ? 1 : 0);
        }
    }

    /// {@return the lines of the plain file `file`}: its line breaks, and one more for a last line
    /// without one
    static long lines(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long breaks = count(ch, size, Long.MAX_VALUE);
            if (size == 0) {
                return 0;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            byte c = last.get(0);
            return c == '\n' || c == '\r' ? breaks : breaks + 1;
        }
    }
}
