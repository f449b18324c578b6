package io.ferry.text;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static io.ferry.text.ByteClasses.A_DELIM;
import static io.ferry.text.ByteClasses.A_OTHER;
import static io.ferry.text.ByteClasses.A_WS;
import static io.ferry.text.ByteClasses.COMMENT;
import static io.ferry.text.ByteClasses.HIGH;
import static io.ferry.text.ByteClasses.ORD;
import static io.ferry.text.ByteClasses.WS;
import static io.ferry.text.RowPlan.BYTES;
import static io.ferry.text.RowPlan.F32;
import static io.ferry.text.RowPlan.F64;
import static io.ferry.text.RowPlan.I32;
import static io.ferry.text.RowPlan.I64;
import static io.ferry.text.RowPlan.SKIP;

/// Reads the rows of one text file (or one byte range of it) chunk by chunk, straight into memory
/// the caller gives: no `String` per field, no boxing. Made by [TextLoader#open(Path)].
///
/// ```java
/// DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
/// TextLoader loader = TextLoader.of(dt, LoadOptions.builder().delimiter('\t').build());
/// try (Arena arena = Arena.ofConfined(); TableReader r = loader.open(file)) {
///     long chunkRows = 4096;
///     MemorySegment chunk = arena.allocate(chunkRows * r.rowBytes());
///     long total = 0;
///     for (long n; (n = r.read(chunk, chunkRows)) > 0; ) {
///         total += n;                    // rows 0..n-1 of chunk are this chunk's records
///     }
///     assert total == r.rowsRead();
/// }
/// ```
///
/// A reader is for one thread. After a [TextParseException] it only closes.
///
/// How it is fast: the file is read in 256 KiB blocks into one reused `byte[]`, and every whole
/// line in it is parsed by one loop that switches on a small code per column (no virtual call
/// per field). Numbers and field ends are found eight bytes at a time (SWAR: digit runs, the
/// delimiter, line ends), and a decimal such as `66.67` becomes a double with one integer
/// conversion and one division (Clinger's exact case); anything less common goes to a full
/// parser for that field only. Rows are assembled in a small heap block and copied to the
/// target segment in bulk.
///
/// What the loop does not take goes to the line path, which splits the line as numpy's tokenizer
/// does ([LineFields]) and converts every field of it: a quote at a field's start, a byte at or
/// above 0x80 where it could matter (text of an `S` field, around a number, whitespace when
/// whitespace separates fields), a comment of several characters, a row whose length differs
/// from what the loop expects (so also every error of the row's shape), and every line of a
/// plan the loop cannot follow (a column read twice, several comment strings). Line breaks are
/// `\n`, `\r\n` and a lone `\r`, as Python's universal newlines read them.
///
/// A line may be up to [LoadOptions#maxLineBytes()] long; the buffer grows to hold a longer line
/// than 256 KiB (for a plain file, to the line's length, found by reading ahead without keeping
/// it) and shrinks back after it. A longer line is an error before it is held.
public final class TableReader implements AutoCloseable {
    private static final int STAGE = 1 << 16;

    private final TextInput in;
    private final ParseErrors errors;
    private final Numbers numbers;
    private final StringFields strings;
    private final LinePath linePath;
    private final String file;
    private final RowPlan plan;
    private final boolean lenient;
    private final ByteClasses bytes;
    private final boolean wsMode;
    private final byte[] cls;
    // The plan's arrays, one load away in the parse loop.
    private final int[] kinds;
    private final int[] offsets;
    private final int[] sizes;
    private final int minFields;
    private final int maxFields;
    /// The delimiter, or a value no byte has in whitespace mode.
    private final int separator;
    /// The quote byte, or a value no byte has.
    private final int quote;
    /// What the byte after a field's fast path means ([ByteClasses#A_OTHER]: its full parser).
    private final byte[] after;
    /// Added to a kind in [#kinds] for a big-endian type.
    private static final int SWAPPED = 32;
    /// Whether every line takes the line path.
    private final boolean lineByLine;
    private boolean done;
    private boolean failed;
    private boolean closed;
    private long rowsRead;
    private final long maxRows;
    /// Rows are built here and copied to the target in 64 KiB blocks: array stores need no
    /// per-field segment checks, and the copy costs little next to the parse.
    private final byte[] stage;

    TableReader(Path path, RowPlan plan, LoadOptions options, long start, long end, boolean whole)
            throws IOException {
        this(path, plan, options, start, end, whole, false);
    }

    /// @param linePathOnly read every line through the line path: the reference the tests hold
    ///        the parse loop to
    TableReader(Path path, RowPlan plan, LoadOptions options, long start, long end, boolean whole,
                boolean linePathOnly) throws IOException {
        this.file = path.toString();
        this.plan = plan;
        this.lenient = options.lenient();
        this.bytes = new ByteClasses(options);
        this.wsMode = bytes.wsMode;
        this.kinds = plan.kind.clone();
        for (int c = 0; c < kinds.length; c++) {
            kinds[c] += plan.swap[c] ? SWAPPED : 0;
        }
        this.offsets = plan.offset;
        this.sizes = plan.size;
        this.minFields = plan.minFields;
        this.maxFields = plan.maxFields;
        this.separator = bytes.separator;
        this.quote = bytes.quote;
        this.lineByLine = linePathOnly || !plan.fast || !bytes.loopSplits;
        this.cls = bytes.cls;
        this.after = bytes.after;
        this.maxRows = options.maxRows() == LoadOptions.ALL_ROWS ? Long.MAX_VALUE : options.maxRows();
        this.stage = new byte[Math.max(plan.rowBytes, STAGE / Math.max(1, plan.rowBytes) * plan.rowBytes)];
        this.in = new TextInput(path, options, start, end, whole);
        this.errors = new ParseErrors(in, plan);
        this.numbers = new Numbers(plan, lenient, errors);
        this.strings = new StringFields(bytes, lenient, plan, errors);
        this.linePath = new LinePath(plan, options, in, numbers, strings, errors);
        if (plan.rowBytes == 0) {
            done = true; // a plain dtype and a file without data rows
        }
    }

    /// {@return the bytes of one output row}: the dtype's itemsize for a structured dtype, columns
    /// times itemsize for a plain one
    public long rowBytes() {
        return plan.rowBytes;
    }

    /// {@return bytes of the file consumed so far, for progress}: of the range from its first line
    /// for a plain file, compressed bytes for a gzip file
    public long bytesRead() {
        return in.bytesRead();
    }

    /// {@return values per row}: the number of columns for a plain dtype, 1 for a structured one
    public long columns() {
        return plan.columns;
    }

    /// {@return the shape `np.loadtxt(…, ndmin=1)` gives `rows` rows of this reader's file}: one
    /// record per row for a structured dtype; for a plain one, rows × columns without the
    /// dimensions of length 1 (one row of 3 columns is `(3,)`, one value `(1,)`), and `(0,)` for
    /// no rows unless useCols named several columns (`(0, 2)`)
    public long[] shape(long rows) {
        if (plan.structured) {
            return new long[]{rows};
        }
        long columns = rows == 0 && !plan.usesCols ? 1 : plan.columns; // numpy knows no columns then
        if (rows == 1) {
            return new long[]{columns};
        }
        return columns == 1 ? new long[]{rows} : new long[]{rows, columns};
    }

    /// {@return the data rows read so far}
    public long rowsRead() {
        return rowsRead;
    }

    /// Parses up to `maxRows` data rows into `target`, row `i` at byte `i * rowBytes()`.
    ///
    /// {@return the rows parsed, 0 once every row of the file (or range) has been read}
    /// @throws TextParseException for text that does not fit the dtype; the reader then only closes
    /// @throws IllegalArgumentException when `target` is smaller than `maxRows * rowBytes()`
    /// @throws IOException when the file cannot be read
    public long read(MemorySegment target, long maxRows) throws IOException {
        if (closed) {
            throw new IllegalStateException("reader of " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("reader of " + file + " stopped at an error");
        }
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0, not " + maxRows);
        }
        if (target.byteSize() / Math.max(1, plan.rowBytes) < maxRows) {
            throw new IllegalArgumentException("a target of " + target.byteSize() + " bytes is too small for "
                    + maxRows + " rows of " + plan.rowBytes + " bytes");
        }
        long want = Math.min(maxRows, this.maxRows - rowsRead);
        long n = 0;
        int rowBytes = plan.rowBytes;
        int stageRows = stage.length / Math.max(1, rowBytes);
        int staged = 0;
        long flushedAt = 0;
        boolean ok = false;
        try {
            while (n < want && !done) {
                if (in.pastRange()) { // before reading more: the next line, long or not, is not ours
                    done = true;
                    break;
                }
                if (!in.hasWholeLine()) {
                    if (!in.fill()) {
                        done = true;
                    }
                    continue;
                }
                if (in.skipLine()) {
                    continue;
                }
                // Every line starting at or before `last` is whole and ours: parse them in a tight loop.
                int rows = (int) Math.min(want - n, stageRows - staged);
                int last = in.lastLineStart();
                int parsed;
                if (lineByLine) {
                    parsed = linePath.readLines(last, rows, stage, staged * rowBytes);
                } else {
                    in.pos = parseLines(in.buf, in.pos, last, rows, stage, staged * rowBytes);
                    parsed = this.parsed;
                }
                n += parsed;
                staged += parsed;
                if (staged == stageRows) {
                    MemorySegment.copy(stage, 0, target, ValueLayout.JAVA_BYTE, flushedAt, staged * rowBytes);
                    flushedAt += (long) staged * rowBytes;
                    staged = 0;
                }
            }
            if (staged > 0) {
                MemorySegment.copy(stage, 0, target, ValueLayout.JAVA_BYTE, flushedAt, staged * rowBytes);
            }
            ok = true;
        } finally {
            if (!ok) {
                failed = true;
            }
        }
        rowsRead += n;
        if (rowsRead >= this.maxRows) {
            done = true;
        }
        return n;
    }

    /// Closes the file; calling it again does nothing.
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        in.close();
    }

    // ---- the parse loop -------------------------------------------------------------------------

    /// Rows parsed by the last [#parseLines].
    private int parsed;

    /// Parses up to `rows` data rows from the lines starting at `p` up to `last` (each is whole:
    /// a line break ends it), into `st` from `o`, one row per data line; sets [#parsed].
    ///
    /// Each field's fast path parses the common forms and stops where they end; the byte there
    /// must end the field, or the field's full parser reads it again from its start (and takes
    /// exponents, `nan`, long numbers, whitespace around a delimited number) or throws, or hands
    /// the whole line to the line path.
    /// {@return the start of the first line not parsed}
    private int parseLines(byte[] b, int p, int last, int rows, byte[] st, int o) {
        final byte[] cls = this.cls;
        final int[] kinds = this.kinds;
        final int[] offsets = this.offsets;
        final int width = kinds.length;
        final int maxFields = this.maxFields;
        final int separator = this.separator;
        final int rowBytes = plan.rowBytes;
        int done = 0;
        while (p <= last && done < rows) {
            in.linesSeen++; // fields, not locals: an error message reads them
            in.lineStart = p;
            int c;
            if (wsMode) {
                while ((c = cls[b[p] & 0xff]) == WS) {
                    p++;
                }
                if (c == HIGH) { // whitespace past ASCII, or text: the line path
                    p = LineBreaks.after(b, linePath.read(b, st, o));
                    if (linePath.fieldCount() > 0) {
                        o += rowBytes;
                        done++;
                    }
                    continue;
                }
            } else {
                c = cls[b[p] & 0xff];
            }
            if (bytes.isLineEnd(b, p, c)) {
                p = LineBreaks.nextLine(b, p);
                continue;
            }
            int col = 0;
            while (true) {
                if (col >= maxFields) {
                    p = linePath.read(b, st, o); // one field too many, unless the loop miscounted
                    break;
                }
                int kind = col < width ? kinds[col] : SKIP;
                int start = p;
                // The common kinds get a call site each, so the JIT folds the kind's switches away.
                switch (kind) {
                    case SKIP -> p = bytes.skipField(b, p);
                    case BYTES -> p = strings.copy(b, p, st, o + offsets[col], sizes[col]);
                    case F32 -> p = Numbers.fastFloat(b, p, st, o + offsets[col], F32, false);
                    case F64 -> p = Numbers.fastFloat(b, p, st, o + offsets[col], F64, false);
                    case I32 -> p = Numbers.fastInteger(b, p, st, o + offsets[col], I32, false);
                    case I64 -> p = Numbers.fastInteger(b, p, st, o + offsets[col], I64, false);
                    default -> {
                        int k = kind & ~SWAPPED;
                        boolean swapped = kind != k;
                        p = k == F32 || k == F64 ? Numbers.fastFloat(b, p, st, o + offsets[col], k, swapped)
                                : Numbers.fastInteger(b, p, st, o + offsets[col], k, swapped);
                    }
                }
                if (p == Numbers.NOT_TAKEN) { // the field's full parser, or the line path
                    p = kind == SKIP || kind == BYTES ? linePath.read(b, st, o) : slowNumber(b, start, st, o, col);
                }
                int x = b[p];
                if (x == separator) { // the common case, with a delimiter: the next field
                    p++;
                    col++;
                    continue;
                }
                if ((x == ' ' || x == '\t') && wsMode && cls[b[p + 1] & 0xff] == ORD) { // and without one
                    p++;
                    col++;
                    continue;
                }
                int a = after[x & 0xff];
                if (a == A_OTHER) {
                    p = slowField(b, start, p, st, o, kind & ~SWAPPED, col);
                    a = after[b[p] & 0xff];
                }
                col++;
                if (a == A_DELIM) {
                    p++;
                    continue;
                }
                if (a == A_WS) {
                    do {
                        c = cls[b[++p] & 0xff];
                    } while (c == WS);
                    if (bytes.isLineEnd(b, p, c)) {
                        break;
                    }
                    continue;
                }
                break; // A_END, or a position slowField says ends the line
            }
            if (col < minFields && !linePath.hasRead(in.linesSeen)) {
                // Fewer fields than a row has: the line path decides (a row whose columns move,
                // or text the loop miscounted), unless it read the line already.
                p = linePath.read(b, st, o);
            }
            p = b[p] == '\n' ? p + 1 : LineBreaks.nextLine(b, p);
            o += rowBytes;
            done++;
        }
        parsed = done;
        return p;
    }

    /// After a field's fast path stopped at a byte [#after] does not know: a number's full parser,
    /// or (after text) a comment of several characters to check. {@return the position after the
    /// field}: a delimiter, whitespace in whitespace mode, or the end of the line's content
    private int slowField(byte[] b, int start, int p, byte[] st, int o, int kind, int col) {
        if (kind == SKIP || kind == BYTES) {
            return cls[b[p] & 0xff] == COMMENT && bytes.isComment(b, p) ? p : linePath.read(b, st, o);
        }
        return slowNumber(b, start, st, o, col);
    }

    /// Every number the fast paths do not take (long, out of range, an exponent, whitespace around
    /// it in a delimited field, not a number), read again from the field's start `start` into the
    /// row at `o`; text beyond ASCII or a quote go to the line path. {@return the field's end}
    private int slowNumber(byte[] b, int start, byte[] st, int o, int col) {
        int end = bytes.skipToken(b, start);
        if (b[start] == quote || b[end] < 0 || (cls[b[end] & 0xff] == COMMENT && !bytes.isComment(b, end))
                || !Utf8.isAscii(b, start, end)) {
            return linePath.read(b, st, o);
        }
        int s = start;
        int e = end;
        while (s < e && cls[b[s] & 0xff] == WS) {
            s++;
        }
        while (e > s && cls[b[e - 1] & 0xff] == WS) {
            e--;
        }
        try {
            numbers.store(b, s, e, st, o + offsets[col], plan.output[col], col, s);
        } catch (TextParseException error) {
            return linePath.read(b, st, o); // it decides, the row's shape first
        }
        return end;
    }
}
