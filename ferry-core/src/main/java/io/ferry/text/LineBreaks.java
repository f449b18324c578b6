package io.ferry.text;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/// Counts lines as the loader reads them: `\n`, `\r\n` and a lone `\r` each end a line (Python's
/// universal newlines, which numpy's `loadtxt` reads through).
final class LineBreaks {
    private LineBreaks() {
    }

    /// {@return the line breaks in `ch` before `end`, stopping once `cap` are counted}; `end` is a
    /// line's start (or the file's end), so a '\r' just before it is a break
    static long count(FileChannel ch, long end, long cap) throws IOException {
        long count = 0;
        boolean cr = false; // the byte before was a '\r' not yet counted
        ByteBuffer bb = ByteBuffer.allocate(1 << 16);
        byte[] b = bb.array();
        long at = 0;
        while (at < end && count < cap) {
            bb.clear().limit((int) Math.min(b.length, end - at));
            int n = ch.read(bb, at);
            if (n < 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                byte c = b[i];
                if (c == '\n') {
                    count++;
                    cr = false;
                } else {
                    count += cr ? 1 : 0;
                    cr = c == '\r';
                }
            }
            at += n;
        }
        return count + (cr ? 1 : 0);
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
