package io.ferry.pipeline;

import io.ferry.FerryException;
import io.ferry.file.StandardInput;

import java.io.IOException;
import java.io.InputStream;

/// How many rows an input probably holds, from its size and the lines in its first 64 KiB: enough
/// for a sink to size its storage (an HDF5 chunk no larger than the whole dataset), never a limit.
///
/// A compressed input's text size is what its [InputFormat] says, when it knows; a compressed
/// input is sampled until its text ends or the sample is full, whatever size it claims.
final class RowEstimate {
    static final int SAMPLE = 64 << 10;
    /// Unknown: a big or unreadable compressed input, or no line end in the sample.
    static final long UNKNOWN = -1;

    private RowEstimate() {
    }

    /// {@return about how many lines `in`, of `format`, has} (comment and blank lines included), or [#UNKNOWN]
    static long of(Input in, InputFormat format) {
        if (StandardInput.is(in.file())) {
            return UNKNOWN;          // it can be read only once, by its worker
        }
        boolean compressed;
        long textSize;
        byte[] head;
        int n = 0;
        boolean ended = false; // the whole text is in head
        try {
            compressed = format.compressed(in.file());
            textSize = compressed ? format.textSize(in.file(), in.size()) : in.size();
            head = new byte[compressed ? SAMPLE : (int) Math.min(SAMPLE, Math.max(0, in.size()))];
            try (InputStream s = format.openText(in.file())) {
                while (n < head.length) {
                    int r = s.read(head, n, head.length - n);
                    if (r < 0) {
                        ended = true;
                        break;
                    }
                    n += r;
                }
            }
            ended |= !compressed && n >= in.size();
        } catch (IOException | FerryException e) {
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
}
