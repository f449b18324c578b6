package io.ferry.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/// How many rows an input probably holds, from its size and the lines in its first 64 KiB: enough
/// for a sink to size its storage (an HDF5 chunk no larger than the whole dataset), never a limit.
final class RowEstimate {
    static final int SAMPLE = 64 << 10;
    /// Unknown: a compressed input, or no line end in the sample.
    static final long UNKNOWN = -1;

    private RowEstimate() {
    }

    /// {@return about how many lines `in` has} (comment and blank lines included), or [#UNKNOWN]
    static long of(Input in) {
        if (!in.splittable()) {
            return UNKNOWN;          // compressed: its size says little about its lines
        }
        byte[] head = new byte[(int) Math.min(SAMPLE, Math.max(0, in.size()))];
        int n = 0;
        try (InputStream s = Files.newInputStream(in.file())) {
            while (n < head.length) {
                int r = s.read(head, n, head.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            return UNKNOWN;          // the conversion reports the file's own error when it reads it
        }
        long lines = 0;
        for (int i = 0; i < n; i++) {
            if (head[i] == '\n') {
                lines++;
            }
        }
        if (n >= in.size()) {
            return lines + (n > 0 && head[n - 1] != '\n' ? 1 : 0);
        }
        return lines == 0 ? UNKNOWN : Math.ceilDiv(in.size() * lines, n);
    }
}
