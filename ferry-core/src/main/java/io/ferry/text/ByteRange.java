package io.ferry.text;

import io.ferry.gzip.Gzip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// A byte range `[start, end)` of a file, for splitting one big file among workers.
///
/// A range owns every line whose first byte lies in it. A reader of a range that starts past 0
/// skips to just after the first `'\n'` at or after `start - 1`, and reads its last line to its
/// end even past `end`. So ranges that tile a file, cut anywhere, read every line exactly once,
/// and [#split] can cut at plain byte offsets without looking at the text.
///
/// ```java
/// List<ByteRange> parts = ByteRange.split(1000, 3);
/// assert parts.equals(List.of(new ByteRange(0, 333), new ByteRange(333, 666), new ByteRange(666, 1000)));
/// ```
///
/// @param start first byte offset (inclusive)
/// @param end   last byte offset (exclusive)
public record ByteRange(long start, long end) {
    public ByteRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad byte range [" + start + ", " + end + ")");
        }
    }

    /// {@return `parts` ranges of nearly equal size that tile `[0, size)`}
    public static List<ByteRange> split(long size, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1, not " + parts);
        }
        List<ByteRange> out = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            out.add(new ByteRange(cut(size, i, parts), cut(size, i + 1, parts)));
        }
        return out;
    }

    /// {@return piece `i` of this range cut into `parts`, as [#split(long, int)] cuts `[0, size)`}
    public ByteRange piece(int i, int parts) {
        return new ByteRange(start + cut(length(), i, parts), start + cut(length(), i + 1, parts));
    }

    /// floor(size * i / parts) without overflow.
    private static long cut(long size, int i, int parts) {
        return size / parts * i + size % parts * i / parts;
    }

    /// {@return `parts` ranges that tile `file`}; a gzip file (by its content, see [Gzip#isGzip(Path)])
    /// cannot be split and gives one range, unless it is BGZF ([Gzip#isBgzf(Path)]): its ranges are
    /// cut at any byte, and their readers move to the next block start
    public static List<ByteRange> split(Path file, int parts) throws IOException {
        long size = Files.size(file);
        return Gzip.isGzip(file) && !Gzip.isBgzf(file) ? List.of(new ByteRange(0, size)) : split(size, parts);
    }

    /// {@return the range's length in bytes}
    public long length() {
        return end - start;
    }
}
