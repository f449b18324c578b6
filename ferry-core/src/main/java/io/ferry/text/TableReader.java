package io.ferry.text;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

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
/// A reader is a short front over one class per stage, each of which can be read, measured and
/// sped up alone:
///
/// ```text
///  TextInput      the bytes: 256 KiB blocks of whole lines, byte ranges, gzip, the line limit
///  RowLoop        the parse loop: one switch on each column's kind, the fast paths inlined
///   ByteClasses     scanning: what each byte means, field ends eight bytes at a time
///   Numbers         integers and floats: SWAR digit runs, Clinger's exact case, numpy's rules
///   StringFields    S<n> fields: word copies of ASCII text, Latin-1 from UTF-8
///  LinePath       numpy's tokenizer (LineFields) for whatever the loop does not take
///  ParseErrors    every message: file, line, column, field, the text escaped
/// ```
///
/// The loop takes the common forms (plain numbers, unquoted ASCII text, the row's expected
/// length); the line path takes the rest, a line at a time: a quote at a field's start, a byte at
/// or above 0x80 where it could matter (text of an `S` field, around a number, whitespace when
/// whitespace separates fields), a comment of several characters, a row of another length (so
/// also every error of a row's shape), and every line of a plan the loop cannot follow (a column
/// read twice, several comment strings). Rows are assembled in a small heap block and copied to
/// the target segment in bulk. Line breaks are `\n`, `\r\n` and a lone `\r`, as Python's
/// universal newlines read them.
///
/// A line may be up to [LoadOptions#maxLineBytes()] long; the buffer grows to hold a longer line
/// than 256 KiB (for a plain file, to the line's length, found by reading ahead without keeping
/// it) and shrinks back after it. A longer line is an error before it is held.
public final class TableReader implements AutoCloseable {
    private static final int STAGE = 1 << 16;

    private final String file;
    private final RowPlan plan;
    private final TextInput in;
    private final RowLoop loop;
    private final LinePath linePath;
    /// Whether every line takes the line path.
    private final boolean lineByLine;
    private final long maxRows;
    /// Rows are built here and copied to the target in 64 KiB blocks: array stores need no
    /// per-field segment checks, and the copy costs little next to the parse.
    private final byte[] stage;
    private long rowsRead;
    private boolean done;
    private boolean failed;

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
        this.maxRows = options.maxRows() == LoadOptions.ALL_ROWS ? Long.MAX_VALUE : options.maxRows();
        this.stage = new byte[Math.max(plan.rowBytes, STAGE / Math.max(1, plan.rowBytes) * plan.rowBytes)];
        this.in = new TextInput(path, options, start, end, whole);
        ByteClasses bytes = new ByteClasses(options);
        ParseErrors errors = new ParseErrors(in, plan, options);
        Numbers numbers = new Numbers(plan, options.lenient(), errors);
        StringFields strings = new StringFields(bytes, options.lenient(), plan, errors);
        this.linePath = new LinePath(plan, options, in, numbers, strings, errors);
        this.loop = new RowLoop(plan, in, bytes, numbers, strings, linePath);
        this.lineByLine = linePathOnly || !plan.fast || !bytes.loopSplits;
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
        if (target.byteSize() / Math.max(1, plan.rowBytes) < maxRows) {
            throw new IllegalArgumentException("a target of " + target.byteSize() + " bytes is too small for "
                    + maxRows + " rows of " + plan.rowBytes + " bytes");
        }
        // Copied segment to segment: the array-to-segment copy links a type switch on its first
        // call (1.5 ms of a conversion's start; the JVM's start-up cache keeps none of it).
        return read((rows, length, at) -> MemorySegment.copy(MemorySegment.ofArray(rows), 0, target, at, length), maxRows);
    }

    /// As [#read(MemorySegment, long)], the rows going to `sink` a block at a time.
    long read(RowSink sink, long maxRows) throws IOException {
        if (in.isClosed()) {
            throw new IllegalStateException("reader of " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("reader of " + file + " stopped at an error");
        }
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be >= 0, not " + maxRows);
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
                // The file's first row is read alone, so that an error in it knows it is there.
                in.firstRow = rowsRead + n == 0 && in.startsFile();
                if (in.firstRow) {
                    rows = 1;
                }
                int last = in.lastLineStart();
                int parsed = lineByLine ? linePath.readLines(last, rows, stage, staged * rowBytes)
                        : loop.readLines(last, rows, stage, staged * rowBytes);
                n += parsed;
                staged += parsed;
                if (staged == stageRows) {
                    sink.put(stage, staged * rowBytes, flushedAt);
                    flushedAt += (long) staged * rowBytes;
                    staged = 0;
                }
            }
            if (staged > 0) {
                sink.put(stage, staged * rowBytes, flushedAt);
            }
            ok = true;
        } catch (TextParseException e) {
            in.throwIfDamaged(e);
            throw e;
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
        in.close();
    }
}
