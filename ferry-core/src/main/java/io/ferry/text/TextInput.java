package io.ferry.text;

import io.ferry.file.InputFile;
import io.ferry.file.StandardInput;
import io.ferry.gzip.BgzfReader;
import io.ferry.gzip.Gzip;
import io.ferry.gzip.GzipFormatException;
import io.ferry.gzip.GzipStream;
import io.ferry.gzip.ReadAhead;
import io.ferry.text.TextParseException.Problem;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/// The lines one reader parses: of a plain file, of one byte range of it, of a gzip file, or of one
/// byte range of a BGZF file, read in 256 KiB blocks into one reused array and handed out whole;
/// and the count of lines that messages name.
///
/// ```text
///  buf  0          pos                                lastNl       limit         buf.length
///       | consumed | whole lines, each ending in a break |  a part line | SLACK |
/// ```
///
/// Every line starting at or before [#lastLineStart()] is whole and this reader's, so the parse
/// loop stops at nothing but its line breaks, and its 8-byte loads near the data's end stay in
/// the array. A line longer than a block grows the array (a plain file's to the line's length,
/// found by reading ahead without keeping it) and the array shrinks back after it; a line longer
/// than [LoadOptions#maxLineBytes()] is an error before it is held.
///
/// A range starting past 0 begins after the first line break at or after `start - 1`, and ends
/// before the first line starting at or after its end (see [ByteRange]).
///
/// A byte range of a BGZF file is read by [BgzfReader]: the blocks that start in it, and on into
/// the next ones for its last line. Offsets here are then in that inflated text, 0 at its first
/// block's first byte, and the rule is [ByteRange]'s moved one byte on: a range starting past 0
/// begins after the first line break at or after its first block's first byte, and owns the lines
/// starting up to and including the first byte of the first block at or after its end
/// ([BgzfReader#rangeEnd()]). The next range's reader skips exactly those, so ranges cut anywhere
/// read every line once. Lines before a range are counted, for a message, by inflating the blocks
/// before it.
final class TextInput implements AutoCloseable {
    static final int BUFFER = 1 << 18;
    /// Bytes kept free past the data, so 8-byte loads near the end stay in the array.
    static final int SLACK = 16;

    /// A closed reader's buffer, for the next reader its thread opens: a conversion's workers open a
    /// reader per part, and a new buffer each time is garbage in proportion to the input, which
    /// the JVM's heap would grow to hold between collections.
    private static final ThreadLocal<byte[]> SPARE_BUFFER = new ThreadLocal<>();

    private final Path path;
    private final String file;
    private final long maxLine;
    private final long rangeEnd;
    /// The file as opened, under the gzip stream too: its position is the compressed bytes consumed;
    /// null for standard input.
    private final FileChannel source;
    /// Standard input's bytes, counted as they are consumed; null for a file.
    private final CountingInput standardInput;
    /// The plain file, or null for a gzip one.
    private final FileChannel channel;
    /// The gzip stream, inflated ahead on a thread of its own while this one parses ([ReadAhead]),
    /// or standard input; null for a plain file and a BGZF range.
    private final InputStream stream;
    /// The BGZF blocks of a byte range of a BGZF file, or null.
    private final BgzfReader bgzf;
    private final long firstLineStart;

    byte[] buf = takeBuffer();
    /// The start of the next line to parse.
    int pos;
    private int limit;
    /// Index of the last line break in buf[0, limit) whose line is whole (a '\r' only once the byte
    /// after it is known), or -1: every line starting at or before it is whole.
    private int lastNl = -1;
    /// File offset of buf[0].
    private long bufBase;
    /// Index in buf of the range's end (lines starting there or later are not ours).
    private int endInBuf = Integer.MAX_VALUE;
    /// Index in buf of the '\n' added after a last line that had none, or -1.
    int addedBreak = -1;
    private boolean eof;
    private boolean closed;
    private long lastBytesRead;

    /// Lines in the file before this reader's first, or -1 until counted (only a message needs it).
    private long linesBefore = -1;
    /// Lines of skipRows still to skip.
    private long skipLeft;
    /// Lines this reader has begun, skipped ones included: the parse loop counts them.
    long linesSeen;
    /// The start in buf of the line being parsed, for the column of a message.
    int lineStart;
    /// Whether the row being parsed is the file's first: every line before it skipped (skipRows),
    /// a comment or blank. A header's place, for an error's hint; [TableReader] sets it, reading
    /// that row alone.
    boolean firstRow;

    /// Opens the lines of `path` that start in `[start, end)`; `whole` says that range is the
    /// whole file, the only range of a gzip file.
    TextInput(Path path, LoadOptions options, long start, long end, boolean whole) throws IOException {
        this.path = path;
        this.file = StandardInput.is(path) ? StandardInput.DESCRIPTION : path.toString();
        this.maxLine = options.maxLineBytes();
        this.rangeEnd = end;
        if (StandardInput.is(path)) {
            if (!whole) {
                throw new IllegalArgumentException("standard input is read whole, not in byte ranges");
            }
            this.source = null;
            this.channel = null;
            this.bgzf = null;
            this.standardInput = new CountingInput(StandardInput.stream());   // after what a look read (StandardInput.peek)
            BufferedInputStream in = new BufferedInputStream(standardInput, BUFFER);
            this.stream = Gzip.isGzip(in) ? new ReadAhead(new GzipStream(in, file, -1), file) : in;
            this.firstLineStart = 0;
            this.linesBefore = 0;
            this.skipLeft = options.skipRows();
            return;
        }
        this.standardInput = null;
        if (start == 0) {
            // The checks a run makes before any work, made again where the input is opened: an input
            // a conversion kept going past (--keep-going), or one removed since, fails as itself
            // ("no such file", "is bzip2-compressed") and not as the first garbled row.
            InputFile.checkReadable(path);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        this.source = ch;
        try {
            if (Gzip.isGzip(ch) && (whole || !Gzip.isBgzf(ch))) {
                if (!whole) {
                    throw new IllegalArgumentException(file + " is gzip-compressed: it is read whole, not in byte ranges"
                            + " (BGZF, bgzip's gzip, can be)");
                }
                ch.position(0);
                this.stream = new ReadAhead(new GzipStream(Channels.newInputStream(ch), file, ch.size()), file);
                this.channel = null;
                this.bgzf = null;
                this.firstLineStart = 0;
                this.linesBefore = 0;
            } else if (Gzip.isGzip(ch)) {
                BgzfReader blocks = BgzfReader.open(ch, file, start, end);
                this.bgzf = blocks;
                this.stream = null;
                this.channel = null;
                try {
                    this.firstLineStart = start == 0 ? 0 : skipFirstLine();
                } catch (IOException | RuntimeException e) {
                    blocks.close();
                    throw e;
                }
                if (start == 0) {
                    this.linesBefore = 0;
                }
            } else {
                this.channel = ch;
                this.stream = null;
                this.bgzf = null;
                this.firstLineStart = start == 0 ? 0 : seekLineAfter(start);
                if (start == 0) {
                    this.linesBefore = 0;
                }
            }
            long skip = options.skipRows();
            if (skip > 0 && linesBefore != 0) { // skipRows counts from the file's start
                long counted = countLineBreaks(firstLineStart, skip);
                if (counted < skip) {
                    linesBefore = counted;
                }
                skipLeft = skip - counted;
            } else {
                skipLeft = skip;
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /// {@return whether this reader's first line is the file's}
    boolean startsFile() {
        return firstLineStart == 0;
    }

    /// Says that this gzip file is damaged, if it is, rather than how parsing it `failed`: damaged
    /// deflate data inflates to garbage before its member's check fails at the member's end, and
    /// the garbage was reported as a bad row at a line the file never held. The rest of the file
    /// is inflated and checked, on this error path only. (A BGZF block is checked before its text
    /// is read; standard input is not read on.)
    /// @throws GzipFormatException saying where it is damaged, `failed` suppressed in it
    void throwIfDamaged(Exception failed) throws GzipFormatException {
        if (stream == null || source == null) {
            return;
        }
        try {
            stream.transferTo(OutputStream.nullOutputStream());
        } catch (GzipFormatException damaged) {
            damaged.addSuppressed(failed);
            throw damaged;
        } catch (IOException unreadable) {
            failed.addSuppressed(unreadable);
        }
    }

    /// {@return whether [#close()] was called}
    boolean isClosed() {
        return closed;
    }

    /// {@return the file, as messages name it}
    String file() {
        return file;
    }

    /// {@return whether the next line starts at or past the range's end}: it is not this reader's,
    /// however long it is
    boolean pastRange() {
        return pos >= endInBuf;
    }

    /// {@return whether a whole line starts at [#pos]}
    boolean hasWholeLine() {
        return pos <= lastNl;
    }

    /// {@return the last position a line may start at that is whole and this reader's}: every line
    /// from [#pos] starting at or before it is
    int lastLineStart() {
        return Math.min(lastNl, endInBuf - 1);
    }

    /// Skips the whole line at [#pos] if skipRows has lines left. {@return whether it did}
    boolean skipLine() {
        if (skipLeft == 0) {
            return false;
        }
        linesSeen++;
        skipLeft--;
        pos = LineBreaks.nextLine(buf, pos);
        return true;
    }

    /// {@return the line being parsed}, counted from the file's start, or -1 when the lines before
    /// this reader's cannot be counted
    long lineNumber() {
        try {
            return linesBefore() + linesSeen;
        } catch (IOException e) {
            return -1;
        }
    }

    /// {@return bytes of the file consumed so far}: of the range from its first line for a plain
    /// file, compressed bytes for a gzip file, compressed bytes of the range for a BGZF range
    long bytesRead() {
        try {
            long b = standardInput != null ? standardInput.count : stream != null ? source.position()
                    : bgzf != null ? Math.max(0, Math.min(bgzf.position(), rangeEnd) - bgzf.firstBlock())
                    : bufBase + pos - firstLineStart;
            lastBytesRead = Math.max(lastBytesRead, b);
        } catch (IOException e) {
            // closed: the last figure stands
        }
        return lastBytesRead;
    }

    /// Makes more whole lines available from [#pos] on. {@return false at the end of the input}
    boolean fill() throws IOException {
        if (eof) {
            if (pos < limit) { // a last line without a break (or with a '\r' that ends the input): end it
                if (limit - pos - (buf[limit - 1] == '\r' ? 1 : 0) > maxLine) {
                    throw lineTooLong(1);
                }
                if (limit >= buf.length - SLACK) {
                    buf = Arrays.copyOf(buf, buf.length + SLACK);
                }
                buf[limit] = '\n';
                addedBreak = limit;
                lastNl = limit++;
                return true;
            }
            return false;
        }
        if (pos > 0) {
            int keep = limit - pos;
            // After a long line, back to a buffer of the usual size.
            byte[] to = buf.length > BUFFER && keep < BUFFER / 2 ? new byte[BUFFER] : buf;
            System.arraycopy(buf, pos, to, 0, keep);
            buf = to;
            bufBase += pos;
            lastNl -= pos;
            limit = keep;
            pos = 0;
        }
        setRangeEnd();
        if (limit >= buf.length - SLACK) { // a line longer than the buffer
            grow();
        }
        int n = readInto(buf, limit, buf.length - SLACK - limit);
        if (n < 0) {
            eof = true;
            return fill();
        }
        int from = limit;
        limit += n;
        setRangeEnd(); // a BGZF range's end may be known now
        findLastBreak(Math.max(from - 1, 0));
        if (buf.length > BUFFER) {
            checkLineLengths();
        }
        return true;
    }

    /// Sets [#lastNl] to the last whole line's break in `buf[from, limit)`, if there is one: a '\r'
    /// last in the data may be half of a "\r\n".
    private void findLastBreak(int from) {
        for (int i = limit - 1; i >= from; i--) {
            byte c = buf[i];
            if (c == '\n' || (c == '\r' && i < limit - 1)) {
                lastNl = i;
                return;
            }
        }
    }

    private void setRangeEnd() {
        long end = rangeEnd;
        if (stream != null) {
            end = Long.MAX_VALUE; // read whole: a compressed size says nothing of the text's
        } else if (bgzf != null) {
            end = bgzf.rangeEnd() < 0 ? Long.MAX_VALUE : bgzf.rangeEnd() + 1;
        }
        long e = end == Long.MAX_VALUE ? Long.MAX_VALUE : end - bufBase;
        endInBuf = e > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) e;
    }

    /// Makes room for the rest of the line that fills the buffer from 0.
    private void grow() throws IOException {
        if (limit > maxLine) {
            throw lineTooLong(1);
        }
        long size;
        if (channel != null) {
            // the line, its break and the '\n' after a '\r', and a block after it
            size = lineLength(bufBase, limit) + 2 + BUFFER + SLACK;
        } else {
            // A stream cannot look ahead: double, or go to the most a line may need once that is
            // near, so the old and the new buffer together stay below 1.5 times the most.
            long most = maxLine + 2 + BUFFER + SLACK;
            size = 4L * buf.length >= most ? most : 2L * buf.length;
        }
        buf = Arrays.copyOf(buf, (int) Math.min(size, Integer.MAX_VALUE - 16));
    }

    /// {@return the length of the line at file offset `start`}, of which `known` bytes hold no
    /// break, read ahead in the file without keeping it
    /// @throws TextParseException when it is longer than the limit
    private long lineLength(long start, int known) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(1 << 16);
        long at = start + known;
        while (at - start <= maxLine) {
            bb.clear();
            int n = channel.read(bb, at);
            if (n < 0) {
                return at - start;
            }
            byte[] a = bb.array();
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n' || a[i] == '\r') {
                    long length = at + i - start;
                    if (length > maxLine) {
                        break;
                    }
                    return length;
                }
            }
            at += n;
        }
        throw lineTooLong(1);
    }

    /// In a buffer grown for a long line, checks every line from [#pos] on against the limit (lines
    /// that fit the usual buffer cannot exceed it).
    private void checkLineLengths() throws IOException {
        int start = pos;
        long k = 0; // lines checked
        for (int i = pos; i < limit; i++) {
            byte c = buf[i];
            if (c != '\n' && c != '\r') {
                continue;
            }
            if (i - start > maxLine) {
                throw lineTooLong(k + 1);
            }
            k++;
            if (c == '\r' && i + 1 < limit && buf[i + 1] == '\n') {
                i++;
            }
            start = i + 1;
        }
        if (limit - start > maxLine) {
            throw lineTooLong(k + 1);
        }
    }

    /// {@return the error for the line `ahead` lines after the last one begun}
    private TextParseException lineTooLong(long ahead) throws IOException {
        return new TextParseException(Problem.LINE_TOO_LONG, file, linesBefore() + linesSeen + ahead, "line longer than "
                + maxLine + " bytes (" + (maxLine >> 20) + " MiB, the line limit)", LikelyMistakes.lineLimit(maxLine));
    }

    private int readInto(byte[] b, int off, int len) throws IOException {
        if (bgzf != null) {
            int total = 0;
            while (total < len) {
                int n = bgzf.read(b, off + total, len - total);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
            }
            return total;
        }
        if (stream != null) {
            int total = 0;
            while (total < len) { // fill the buffer: gzip hands out small pieces
                int n = stream.read(b, off + total, len - total);
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
            }
            return total;
        }
        int total = 0;
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        while (bb.hasRemaining()) {
            int n = channel.read(bb);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            total += n;
        }
        return total;
    }

    /// Positions the input at the first line starting at or after `start`: after the first line
    /// break at or after `start - 1` (after the '\n' of a "\r\n"). {@return that line's file offset}
    private long seekLineAfter(long start) throws IOException {
        channel.position(start - 1);
        bufBase = start - 1;
        while (true) {
            int n = readInto(buf, 0, buf.length - SLACK);
            if (n < 0) {
                eof = true; // no line starts in the range: nothing to read
                return bufBase;
            }
            for (int i = 0; i < n; i++) {
                byte c = buf[i];
                if (c != '\n' && c != '\r') {
                    continue;
                }
                if (c == '\r') {
                    int next = i + 1 < n ? buf[i + 1] : peek(bufBase + n);
                    if (next == '\n') {
                        continue; // the break is the '\n'
                    }
                }
                limit = n;
                pos = i + 1;
                findLastBreak(0);
                setRangeEnd();
                return bufBase + pos;
            }
            bufBase += n;
        }
    }

    /// Positions a BGZF range's reader at its first line: after the first line break at or after
    /// the first byte of its first block (after the '\n' of a "\r\n"). {@return that line's
    /// offset in the range's inflated text}
    private long skipFirstLine() throws IOException {
        bufBase = 0;
        limit = 0;
        while (true) {
            int n = readInto(buf, limit, buf.length - SLACK - limit);
            boolean atEnd = n < 0;
            if (!atEnd) {
                limit += n;
            }
            boolean kept = false;
            for (int i = 0; i < limit; i++) {
                byte c = buf[i];
                if (c != '\n' && c != '\r') {
                    continue;
                }
                if (c == '\r' && i + 1 == limit && !atEnd) { // half of a "\r\n"? keep it, read on
                    buf[0] = '\r';
                    bufBase += i;
                    limit = 1;
                    kept = true;
                    break;
                }
                if (c == '\r' && i + 1 < limit && buf[i + 1] == '\n') {
                    continue; // the break is the '\n'
                }
                pos = i + 1;
                eof = atEnd;
                findLastBreak(0);
                setRangeEnd();
                return bufBase + pos;
            }
            if (atEnd) {
                eof = true; // no line starts in the range: nothing to read
                pos = limit;
                setRangeEnd();
                return bufBase + pos;
            }
            if (!kept) {
                bufBase += limit;
                limit = 0;
            }
        }
    }

    /// {@return the byte at file offset `at`, or -1 past the end}
    private int peek(long at) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return channel.read(one, at) == 1 ? one.get(0) : -1;
    }

    /// {@return the number of lines before this reader's first line}, counted once, on demand
    private long linesBefore() throws IOException {
        if (linesBefore < 0) {
            linesBefore = countLineBreaks(firstLineStart, Long.MAX_VALUE);
        }
        return linesBefore;
    }

    /// {@return the line breaks in the file before `end`, a line's start, counting no further than
    /// `cap`}; for a BGZF range, `end` is in its inflated text, and the blocks before it count too
    private long countLineBreaks(long end, long cap) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (bgzf != null) {
                return Math.min(countBgzfLineBreaks(ch, end, cap), cap);
            }
            return Math.min(LineBreaks.count(ch, end, cap), cap);
        }
    }

    /// Counts the line breaks in the blocks before this reader's first, inflated again, and in the
    /// first `end` bytes of its own text.
    private long countBgzfLineBreaks(FileChannel ch, long end, long cap) throws IOException {
        LineBreaks.Counter counter = new LineBreaks.Counter();
        byte[] b = new byte[1 << 16];
        long done = 0;
        try (BgzfReader before = BgzfReader.open(ch, file, 0, bgzf.firstBlock())) {
            while (counter.breaks() < cap) {
                long target = before.rangeEnd() < 0 ? Long.MAX_VALUE : before.rangeEnd() + end;
                if (done >= target) {
                    break;
                }
                int n = before.read(b, 0, (int) Math.min(b.length, target - done));
                if (n < 0) {
                    break;
                }
                target = before.rangeEnd() < 0 ? Long.MAX_VALUE : before.rangeEnd() + end; // known now, maybe
                counter.add(b, 0, (int) Math.min(n, target - done));
                done += n;
            }
        }
        return counter.breaks();
    }

    /// Standard input, its bytes counted for progress; closing it leaves the process's standard
    /// input open (the JVM owns it).
    private static final class CountingInput extends java.io.FilterInputStream {
        volatile long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the JVM's standard input stays open
        }
    }

    private static byte[] takeBuffer() {
        byte[] b = SPARE_BUFFER.get();
        if (b == null) {
            return new byte[BUFFER];
        }
        SPARE_BUFFER.remove();
        return b;
    }

    /// Closes the file and leaves the buffer to the thread's next reader; calling it again does nothing.
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (buf.length == BUFFER) {
            SPARE_BUFFER.set(buf);
        }
        if (stream != null) {
            stream.close();
        }
        if (bgzf != null) {
            bgzf.close();
            source.close();
        }
        if (channel != null) {
            channel.close();
        }
    }
}
