package io.ferry.pipeline;

import io.ferry.file.StandardInput;
import io.ferry.gzip.Gzip;
import io.ferry.gzip.GzipFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/// How many rows an input probably holds, from its size and the lines in its first 64 KiB: enough
/// for a sink to size its storage (an HDF5 chunk no larger than the whole dataset), never a limit.
///
/// A gzip input's text size is what its trailer says (ISIZE: the size modulo 2^32, of the last
/// member), trusted only for files small enough that their text must be under 4 GiB; that is
/// where the estimate matters, as a big input gets full-sized chunks anyway.
final class RowEstimate {
    static final int SAMPLE = 64 << 10;
    /// Unknown: a big or unreadable compressed input, or no line end in the sample.
    static final long UNKNOWN = -1;
    /// Deflate expands at most about 1032:1, so a gzip file below this holds under 4 GiB of text.
    static final long EXACT_ISIZE_BELOW = (1L << 32) / 1032;

    private RowEstimate() {
    }

    /// {@return about how many lines `in` has} (comment and blank lines included), or [#UNKNOWN]
    static long of(Input in) {
        if (StandardInput.is(in.file())) {
            return UNKNOWN;          // it can be read only once, by its worker
        }
        boolean gzip;
        long textSize;
        byte[] head;
        int n = 0;
        boolean ended = false; // the whole text is in head
        try {
            gzip = Gzip.isGzip(in.file());
            textSize = gzip ? gzipTextSize(in) : in.size();
            head = new byte[gzip ? SAMPLE : (int) Math.min(SAMPLE, Math.max(0, in.size()))];
            try (InputStream s = Gzip.openText(in.file())) {
                while (n < head.length) {
                    int r = s.read(head, n, head.length - n);
                    if (r < 0) {
                        ended = true;
                        break;
                    }
                    n += r;
                }
            }
            ended |= !gzip && n >= in.size();
        } catch (IOException | GzipFormatException e) {
            return UNKNOWN;          // the conversion reports the file's own error when it reads it
        }
        long lines = 0;
        for (int i = 0; i < n; i++) {
            if (head[i] == '\n') {
                lines++;
            }
        }
        if (ended) {
            return lines + (n > 0 && head[n - 1] != '\n' ? 1 : 0);
        }
        if (lines == 0 || textSize < n) { // no line end yet, or a size that cannot be right
            return UNKNOWN;
        }
        return Math.ceilDiv(textSize * lines, n);
    }

    /// {@return the text size a gzip file's trailer gives}, or -1 when the file is too big for it
    /// to be exact or cannot be read
    private static long gzipTextSize(Input in) {
        if (in.size() < 18 || in.size() >= EXACT_ISIZE_BELOW) {
            return -1;
        }
        try (FileChannel ch = FileChannel.open(in.file(), StandardOpenOption.READ)) {
            ByteBuffer isize = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (isize.hasRemaining() && ch.read(isize, in.size() - 4 + isize.position()) > 0) {
                // the last 4 bytes
            }
            return isize.hasRemaining() ? -1 : Integer.toUnsignedLong(isize.getInt(0));
        } catch (IOException e) {
            return -1;
        }
    }
}
