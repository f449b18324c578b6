package io.ferry.text;

import io.ferry.gzip.Gzip;
import io.ferry.gzip.GzipStream;
import io.ferry.text.TextParseException.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static io.ferry.text.RowPlan.BOOL;
import static io.ferry.text.RowPlan.BYTES;
import static io.ferry.text.RowPlan.F32;
import static io.ferry.text.RowPlan.F64;
import static io.ferry.text.RowPlan.I16;
import static io.ferry.text.RowPlan.I32;
import static io.ferry.text.RowPlan.I64;
import static io.ferry.text.RowPlan.I8;
import static io.ferry.text.RowPlan.SKIP;
import static io.ferry.text.RowPlan.U16;
import static io.ferry.text.RowPlan.U32;
import static io.ferry.text.RowPlan.U64;
import static io.ferry.text.RowPlan.U8;

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
public final class TableReader implements AutoCloseable {
    // Byte classes.
    private static final byte ORD = 0, WS = 1, DELIM = 2, NL = 3, COMMENT = 4, CR = 5;
    private static final int BUFFER = 1 << 18;
    /// Bytes kept free past the data, so 8-byte loads near the end stay in the array.
    private static final int SLACK = 16;
    private static final int STAGE = 1 << 16;
    private static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long[] POW10 = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L};

    private final String file;
    private final Path path;
    private final RowPlan plan;
    private final boolean lenient;
    private final boolean wsMode;
    private final byte[] cls;
    /// For a string field: the bytes that may end it (CR only before LF).
    private final boolean[] endsString;
    private final FileChannel channel;
    private final InputStream stream;
    private final long rangeEnd;
    // The plan's arrays, one load away in the parse loop.
    private final int[] kinds;
    private final int[] offsets;
    private final int[] sizes;
    private final int minFields;
    private final int maxFields;
    /// The delimiter, or a value no byte has in whitespace mode.
    private final int separator;
    /// What the byte after a field's fast path means: [#A_OTHER] sends the field to its full parser.
    private final byte[] after = new byte[256];
    /// Added to a kind in [#kinds] for a big-endian type.
    private static final int SWAPPED = 32;
    private static final byte A_OTHER = 0, A_DELIM = 1, A_WS = 2, A_END = 3, A_CR = 4;
    private static final long NL_WORD = 0x0a0a0a0a0a0a0a0aL;
    /// The delimiter (whitespace mode: '\n') and comment (none: '\n') bytes in each byte of a long.
    private final long delimiterWord;
    private final long commentWord;

    /// A closed reader's buffer, for the next reader its thread opens: a conversion's workers open a
    /// reader per part, and a new buffer each time is garbage in proportion to the input, which
    /// the JVM's heap would grow to hold between collections.
    private static final ThreadLocal<byte[]> SPARE_BUFFER = new ThreadLocal<>();

    private byte[] buf = takeBuffer();
    private int pos;
    private int limit;
    /// Index of the last '\n' in buf[0, limit), or -1: every line starting at or before it is whole.
    private int lastNl = -1;
    /// File offset of buf[0].
    private long bufBase;
    /// Index in buf of the range's end (lines starting there or later are not ours).
    private int endInBuf = Integer.MAX_VALUE;
    private boolean eof;
    private boolean done;
    private boolean failed;
    private boolean closed;

    private final long firstLineStart;
    /// The file as opened, under the gzip stream too: its position is the compressed bytes consumed.
    private final FileChannel source;
    private long lastBytesRead;
    private long linesBefore = -1;
    private long skipLeft;
    private long linesSeen;
    private long rowsRead;
    private final long maxRows;
    /// Rows are built here and copied to the target in 64 KiB blocks: array stores need no
    /// per-field segment checks, and the copy costs little next to the parse.
    private final byte[] stage;
    private int lineStart;

    TableReader(Path path, RowPlan plan, LoadOptions options, long start, long end, boolean whole)
            throws IOException {
        this.path = path;
        this.file = path.toString();
        this.plan = plan;
        this.lenient = options.lenient();
        this.wsMode = options.delimiter() == LoadOptions.WHITESPACE;
        this.cls = classes(options);
        this.kinds = plan.kind.clone();
        for (int c = 0; c < kinds.length; c++) {
            kinds[c] += plan.swap[c] ? SWAPPED : 0;
        }
        this.offsets = plan.offset;
        this.sizes = plan.size;
        this.minFields = plan.minFields;
        this.maxFields = plan.maxFields;
        this.separator = wsMode ? 0x100 : (byte) options.delimiter();
        for (int x = 0; x < 256; x++) {
            after[x] = switch (cls[x]) {
                case DELIM -> A_DELIM;
                case WS -> wsMode ? A_WS : A_OTHER; // a delimited number with trailing spaces: the full parser
                case NL, COMMENT -> A_END;
                case CR -> A_CR;
                default -> A_OTHER;
            };
        }
        this.endsString = new boolean[256];
        for (int b = 0; b < 256; b++) {
            byte c = cls[b];
            endsString[b] = c == NL || c == COMMENT || c == CR || c == DELIM || (wsMode && c == WS);
        }
        this.delimiterWord = 0x0101010101010101L * (wsMode ? '\n' : options.delimiter());
        this.commentWord = 0x0101010101010101L * (options.comments() == LoadOptions.NONE ? '\n' : options.comments());
        this.maxRows = options.maxRows() == LoadOptions.ALL_ROWS ? Long.MAX_VALUE : options.maxRows();
        this.rangeEnd = end;
        this.stage = new byte[Math.max(plan.rowBytes, STAGE / Math.max(1, plan.rowBytes) * plan.rowBytes)];
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        this.source = ch;
        try {
            if (Gzip.isGzip(ch)) {
                if (!whole) {
                    throw new IllegalArgumentException(file + " is gzip-compressed: it is read whole, not in byte ranges");
                }
                ch.position(0);
                this.stream = new GzipStream(java.nio.channels.Channels.newInputStream(ch), file, ch.size());
                this.channel = null;
                this.firstLineStart = 0;
                this.linesBefore = 0;
            } else {
                this.channel = ch;
                this.stream = null;
                this.firstLineStart = start == 0 ? 0 : seekLineAfter(start);
                if (start == 0) {
                    this.linesBefore = 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        long skip = options.skipRows();
        if (skip > 0 && linesBefore != 0) {
            long counted = countNewlines(firstLineStart, skip);
            if (counted < skip) {
                linesBefore = counted;
            }
            skipLeft = skip - counted;
        } else {
            skipLeft = skip;
        }
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
        try {
            long b = stream != null ? source.position() : bufBase + pos - firstLineStart;
            lastBytesRead = Math.max(lastBytesRead, b);
        } catch (IOException e) {
            // closed: the last figure stands
        }
        return lastBytesRead;
    }

    /// {@return values per row}: the number of columns for a plain dtype, 1 for a structured one
    public long columns() {
        return plan.columns;
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
                if (pos > lastNl) {
                    if (!fill()) {
                        done = true;
                    }
                    continue;
                }
                if (pos >= endInBuf) {
                    done = true;
                    break;
                }
                if (skipLeft > 0) {
                    linesSeen++;
                    skipLeft--;
                    pos = nextLine(buf, pos);
                    continue;
                }
                // Every line starting at or before `last` is whole and ours: parse them in a tight loop.
                int rows = (int) Math.min(want - n, stageRows - staged);
                int p = parseLines(buf, pos, Math.min(lastNl, endInBuf - 1), rows, stage, staged * rowBytes);
                int parsed = this.parsed;
                pos = p;
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

    private static byte[] takeBuffer() {
        byte[] b = SPARE_BUFFER.get();
        if (b == null) {
            return new byte[BUFFER];
        }
        SPARE_BUFFER.remove();
        return b;
    }

    /// Closes the file; calling it again does nothing.
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
        if (channel != null) {
            channel.close();
        }
    }

    // ---- the parse loop -------------------------------------------------------------------------

    /// Rows parsed by the last [#parseLines].
    private int parsed;

    /// Parses up to `rows` data rows from the lines starting at `p` up to `last` (each is whole:
    /// a '\n' ends it), into `st` from `o`, one row per data line; sets [#parsed].
    ///
    /// Each field's fast path parses the common forms and stops where they end; the byte there
    /// must end the field, or the field's full parser reads it again from its start (and takes
    /// exponents, `nan`, long numbers, whitespace around a delimited number) or throws.
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
            linesSeen++; // fields, not locals: an error message reads them
            lineStart = p;
            int c;
            if (wsMode) {
                while ((c = cls[b[p] & 0xff]) == WS) {
                    p++;
                }
            } else {
                c = cls[b[p] & 0xff];
            }
            if (isLineEnd(b, p, c)) {
                p = nextLine(b, p);
                continue;
            }
            int col = 0;
            while (true) {
                if (col >= maxFields) {
                    throw tooMany(b, p, col);
                }
                int kind = col < width ? kinds[col] : SKIP;
                int start = p;
                // The common kinds get a call site each, so the JIT folds the kind's switches away.
                switch (kind) {
                    case SKIP -> p = skipToken(b, p);
                    case BYTES -> p = parseBytes(b, p, st, o + offsets[col], sizes[col], col);
                    case F32 -> p = fastFloat(b, p, st, o + offsets[col], F32, false, col);
                    case F64 -> p = fastFloat(b, p, st, o + offsets[col], F64, false, col);
                    case I32 -> p = fastInteger(b, p, st, o + offsets[col], I32, false, col);
                    case I64 -> p = fastInteger(b, p, st, o + offsets[col], I64, false, col);
                    default -> {
                        int k = kind & ~SWAPPED;
                        boolean swapped = kind != k;
                        p = k == F32 || k == F64 ? fastFloat(b, p, st, o + offsets[col], k, swapped, col)
                                : fastInteger(b, p, st, o + offsets[col], k, swapped, col);
                    }
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
                if (a == A_OTHER || (a == A_CR && b[p + 1] != '\n')) {
                    p = slowField(b, start, st, o + offsets[col], kind & ~SWAPPED, col);
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
                    if (isLineEnd(b, p, c)) {
                        break;
                    }
                    continue;
                }
                break; // A_END, or A_CR before '\n'
            }
            if (col < minFields) {
                throw tooFew(b, p, col);
            }
            p = b[p] == '\n' ? p + 1 : nextLine(b, p);
            o += rowBytes;
            done++;
        }
        parsed = done;
        return p;
    }

    private int slowField(byte[] b, int start, byte[] st, int o, int kind, int col) {
        return kind == F32 || kind == F64 ? slowFloat(b, start, st, o, kind, col) : slowInteger(b, start, st, o, kind, col);
    }

    private static boolean isLineEnd(byte[] b, int p, int c) {
        return c == NL || c == COMMENT || (c == CR && b[p + 1] == '\n');
    }

    /// {@return whether the byte at `p` ends a number}: the caller has skipped trailing whitespace
    /// in delimiter mode, so any non-ordinary byte ends it (CR only before LF).
    private boolean endsNumber(byte[] b, int p) {
        int c = cls[b[p] & 0xff];
        return c != ORD && (c != CR || b[p + 1] == '\n');
    }

    private int skipWs(byte[] b, int p) {
        while (cls[b[p] & 0xff] == WS) {
            p++;
        }
        return p;
    }

    /// {@return the end of the field starting at `p`}: the first delimiter (whitespace in
    /// whitespace mode), comment character, or line end. Eight bytes at a time: a mask marks the
    /// candidates (exact for the first, see [#equalBytes]), the class table confirms them.
    private int skipToken(byte[] b, int p) {
        final boolean[] ends = endsString;
        while (true) {
            long w = (long) I64_LE.get(b, p);
            long hit = stops(w);
            if (hit == 0) {
                p += 8;
                continue;
            }
            int q = p + (Long.numberOfTrailingZeros(hit) >>> 3);
            if (ends[b[q] & 0xff] && (b[q] != '\r' || b[q + 1] == '\n')) {
                return q;
            }
            p = q + 1;
        }
    }

    /// {@return the top bit set in the bytes of `w` that may end a field}: below 0x21 (space, tab,
    /// `\r`, `\n`, …) in whitespace mode, below 0x0e (`\r`, `\n`, …) or the delimiter otherwise,
    /// and the comment character
    private long stops(long w) {
        return (wsMode ? belowSpace(w) : belowCR(w) | equalBytes(w, delimiterWord)) | equalBytes(w, commentWord);
    }

    private static long belowCR(long w) {
        return (w - 0x0e0e0e0e0e0e0e0eL) & ~w & 0x8080808080808080L;
    }

    /// {@return the top bit set in each byte of `w` equal to the byte in `pattern`}; exact for the
    /// lowest such byte (a borrow only runs upwards from a match), which is all the callers use
    private static long equalBytes(long w, long pattern) {
        long x = w ^ pattern;
        return (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
    }

    /// {@return the top bit set in each byte of `w` below 0x21 (space, tab, controls)}; exact for the lowest
    private static long belowSpace(long w) {
        return (w - 0x2121212121212121L) & ~w & 0x8080808080808080L;
    }

    private static int nextLine(byte[] b, int p) {
        while (true) {
            long hit = equalBytes((long) I64_LE.get(b, p), NL_WORD);
            if (hit != 0) {
                return p + (Long.numberOfTrailingZeros(hit) >>> 3) + 1;
            }
            p += 8;
        }
    }

    private int parseBytes(byte[] b, int p, byte[] st, int o, int n, int col) {
        if (n >= 8) { // a token shorter than 8 bytes: one load, one store, zeros
            long w = (long) I64_LE.get(b, p);
            long hit = stops(w);
            if (hit != 0) {
                int len = Long.numberOfTrailingZeros(hit) >>> 3;
                int q = p + len;
                if (endsString[b[q] & 0xff] && (b[q] != '\r' || b[q + 1] == '\n')) {
                    if (n <= 16) {
                        I64_LE.set(st, o + n - 8, 0L); // the tail's zeros, overlapping the word below
                    } else {
                        Arrays.fill(st, o + 8, o + n, (byte) 0);
                    }
                    I64_LE.set(st, o, w & ((1L << (len << 3)) - 1));
                    return q;
                }
            }
        }
        return longBytes(b, p, st, o, n, col);
    }

    private int longBytes(byte[] b, int p, byte[] st, int o, int n, int col) {
        int q = skipToken(b, p);
        int len = q - p;
        if (len > n) {
            if (!lenient) {
                throw error(Problem.TOO_LONG, p, col, b, p, q,
                        text(b, p, q) + " is " + len + " bytes, longer than " + plan.type[col]);
            }
            len = n;
        }
        int k = 0;
        for (; k + 8 <= n; k += 8) { // whole words: the token's bytes, then zeros
            int r = len - k;
            long word = r <= 0 ? 0 : (long) I64_LE.get(b, p + k);
            I64_LE.set(st, o + k, r >= 8 ? word : word & ((1L << (r << 3)) - 1));
        }
        for (; k < n; k++) {
            st[o + k] = k < len ? b[p + k] : 0;
        }
        return q;
    }

    private int fastInteger(byte[] b, int p, byte[] st, int o, int kind, boolean swapped, int col) {
        int start = p;
        long w = (long) I64_LE.get(b, p);
        int n = digitCount(w);
        boolean negative = false;
        if (n == 0) { // a sign first, or no number
            int c = (int) w & 0xff;
            negative = c == '-';
            if (!negative && c != '+') {
                return slowInteger(b, start, st, o, kind, col);
            }
            w = (long) I64_LE.get(b, ++p);
            n = digitCount(w);
            if (n == 0) {
                return slowInteger(b, start, st, o, kind, col);
            }
        }
        int digitsStart = p;
        long v = eightDigits(w, n);
        p += n;
        while (n == 8) {
            w = (long) I64_LE.get(b, p);
            n = digitCount(w);
            if (n == 0) {
                break;
            }
            if (p + n - digitsStart > 18) {
                return slowInteger(b, start, st, o, kind, col);
            }
            v = v * POW10[n] + eightDigits(w, n);
            p += n;
        }
        if (negative) {
            v = -v;
        }
        if (!fits(kind, v)) {
            return slowInteger(b, start, st, o, kind, col);
        }
        storeInteger(st, o, kind, swapped, v);
        return p;
    }

    /// {@return whether `v`, of at most 18 digits, fits `kind`}
    private static boolean fits(int kind, long v) {
        return switch (kind) {
            case I8 -> (byte) v == v;
            case I16 -> (short) v == v;
            case I32 -> (int) v == v;
            case U8 -> (v & ~0xffL) == 0;
            case U16 -> (v & ~0xffffL) == 0;
            case U32 -> (v >>> 32) == 0;
            case U64 -> v >= 0;
            default -> true; // I64, BOOL
        };
    }

    /// {@return how many of the 8 bytes in `w` (little-endian: the first byte lowest) are ASCII
    /// digits before the first byte that is not}, 0 to 8
    static int digitCount(long w) {
        // A byte's top bit is set in (w - '0') when it is below '0', in (w + 0x46) when above '9',
        // in w when it is not ASCII. Borrows and carries only reach bytes after the first such byte.
        long nonDigit = ((w - 0x3030303030303030L) | (w + 0x4646464646464646L) | w) & 0x8080808080808080L;
        return Long.numberOfTrailingZeros(nonDigit) >>> 3;
    }

    /// {@return the value of the first `n` (1 to 8) ASCII digits in `w`}, without a branch per digit
    /// (the SWAR conversion of fast_float: pairs, then quads, then the eight).
    static long eightDigits(long w, int n) {
        long v = (w - 0x3030303030303030L) << ((8 - n) << 3); // leading zeros in place of the bytes past n
        v = v * 10 + (v >>> 8);
        v = (((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)))
                + (((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32)))) >>> 32;
        return v & 0xFFFFFFFFL;
    }

    private static void storeInteger(byte[] st, int o, int kind, boolean swap, long v) {
        switch (kind) {
            case BOOL -> st[o] = (byte) (v != 0 ? 1 : 0);
            case I8, U8 -> st[o] = (byte) v;
            case I16, U16 -> I16_LE.set(st, o, swap ? Short.reverseBytes((short) v) : (short) v);
            case I32, U32 -> I32_LE.set(st, o, swap ? Integer.reverseBytes((int) v) : (int) v);
            default -> I64_LE.set(st, o, swap ? Long.reverseBytes(v) : v);
        }
    }

    /// Every integer the fast path does not take: long, out of range, written as a float, or not a number.
    private int slowInteger(byte[] b, int start, byte[] st, int o, int kind, int col) {
        start = skipWs(b, start);
        int end = numberEnd(b, start);
        int q = wsMode ? end : skipWs(b, end);
        String type = plan.type[col];
        if (!endsNumber(b, q)) {
            throw notANumber(b, start, end, col, kind);
        }
        if (Decimal.isInteger(b, start, end)) {
            BigInteger big = new BigInteger(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
            BigInteger[] range = bigRange(kind, plan.min[col], plan.max[col]);
            if (big.compareTo(range[0]) >= 0 && big.compareTo(range[1]) <= 0) {
                storeInteger(st, o, kind, plan.swap[col], big.longValue());
                return q;
            }
            if (!lenient || kind == BOOL) {
                throw error(Problem.OUT_OF_RANGE, start, col, b, start, end,
                        text(b, start, end) + " is out of range for " + type + " (" + range[0] + ".." + range[1] + ")");
            }
        } else if (Decimal.isNumber(b, start, end)) {
            if (!lenient || kind == BOOL) {
                throw error(Problem.NOT_AN_INTEGER, start, col, b, start, end,
                        text(b, start, end) + " is not an integer (" + type + ")");
            }
        } else {
            throw notANumber(b, start, end, col, kind);
        }
        // numpy: an integer that does not parse as one is parsed as a float64 and cast by C.
        double d = Decimal.value(b, start, end);
        long v = switch (kind) {
            case I8, I16, U8, U16, I32 -> Decimal.cvt32(d);
            case U32, I64 -> Decimal.cvt64(d);
            default -> Decimal.cvtU64(d);
        };
        storeInteger(st, o, kind, plan.swap[col], v);
        return q;
    }

    private static BigInteger[] bigRange(int kind, long min, long max) {
        if (kind == U64) {
            return new BigInteger[]{BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)};
        }
        return new BigInteger[]{BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }

    private int fastFloat(byte[] b, int p, byte[] st, int o, int kind, boolean swapped, int col) {
        int start = p;
        long w = (long) I64_LE.get(b, p);
        int n = digitCount(w);
        boolean negative = false;
        if (n == 0) { // a sign, a point, or no number
            int c = (int) w & 0xff;
            negative = c == '-';
            if (negative || c == '+') {
                w = (long) I64_LE.get(b, ++p);
                n = digitCount(w);
            }
        }
        if (n == 8) {
            return slowFloat(b, start, st, o, kind, col);
        }
        if (((w >>> (n << 3)) & 0xff) == '.') {
            // Digits, '.', digits within these 8 bytes (66.67): squeeze the point out and
            // convert all the digits at once.
            long below = (1L << (n << 3)) - 1;
            long squeezed = (w & below) | ((w >>> 8) & ~below);
            int all = digitCount(squeezed);
            if (all > 0 && all < 7) { // < 7: the digits end inside this word
                double v = eightDigits(squeezed, all) / Decimal.POW10[all - n];
                storeFloat(st, o, kind, swapped, negative ? -v : v);
                return p + all + 1;
            }
        }
        return floatDigits(b, start, p, w, n, negative, st, o, kind, swapped, col);
    }

    /// The rest of [#fastFloat]: digits and a point not within one word, or no point.
    private int floatDigits(byte[] b, int start, int p, long w, int n, boolean negative, byte[] st, int o, int kind,
                            boolean swapped, int col) {
        long m = n == 0 ? 0 : eightDigits(w, n);
        p += n;
        int digits = n;
        int fraction = 0;
        if (b[p] == '.') {
            w = (long) I64_LE.get(b, ++p);
            fraction = digitCount(w);
            if (fraction == 8) {
                return slowFloat(b, start, st, o, kind, col);
            }
            if (fraction > 0) {
                m = m * POW10[fraction] + eightDigits(w, fraction);
                p += fraction;
                digits += fraction;
            }
        }
        if (digits == 0) {
            return slowFloat(b, start, st, o, kind, col);
        }
        // Clinger: m < 10^14 < 2^53 and 10^fraction are exact doubles, so this rounds once.
        double v = m / Decimal.POW10[fraction];
        storeFloat(st, o, kind, swapped, negative ? -v : v);
        return p;
    }

    private static void storeFloat(byte[] st, int o, int kind, boolean swap, double v) {
        if (kind == F32) {
            int bits = Float.floatToRawIntBits((float) v);
            I32_LE.set(st, o, swap ? Integer.reverseBytes(bits) : bits);
        } else {
            long bits = Double.doubleToRawLongBits(v);
            I64_LE.set(st, o, swap ? Long.reverseBytes(bits) : bits);
        }
    }

    private int slowFloat(byte[] b, int start, byte[] st, int o, int kind, int col) {
        start = skipWs(b, start);
        int end = numberEnd(b, start);
        int q = wsMode ? end : skipWs(b, end);
        if (!endsNumber(b, q) || !Decimal.isNumber(b, start, end)) {
            throw notANumber(b, start, end, col, kind);
        }
        double v = Decimal.value(b, start, end);
        boolean infinite = kind == F32 ? Float.isInfinite((float) v) : Double.isInfinite(v);
        if (infinite && !lenient && !Decimal.isInfinityWord(b, start, end)) {
            throw error(Problem.FLOAT_OVERFLOW, start, col, b, start, end, text(b, start, end) + " is too large for "
                    + plan.type[col] + " (it would be " + (v < 0 ? "-inf" : "inf") + ")");
        }
        if (kind == F32) {
            int bits = Double.isNaN(v) ? (Double.doubleToRawLongBits(v) < 0 ? Decimal.NEGATIVE_NAN_F : Decimal.POSITIVE_NAN_F)
                    : Float.floatToRawIntBits((float) v);
            I32_LE.set(st, o, plan.swap[col] ? Integer.reverseBytes(bits) : bits);
        } else {
            long bits = Double.doubleToRawLongBits(v);
            I64_LE.set(st, o, plan.swap[col] ? Long.reverseBytes(bits) : bits);
        }
        return q;
    }

    /// {@return the end of the token starting at `start`}, trailing whitespace excluded
    private int numberEnd(byte[] b, int start) {
        int end = skipToken(b, start);
        if (!wsMode) {
            while (end > start && cls[b[end - 1] & 0xff] == WS) {
                end--;
            }
        }
        return end;
    }

    // ---- errors ---------------------------------------------------------------------------------

    private TextParseException notANumber(byte[] b, int start, int end, int col, int kind) {
        end = Math.max(end, numberEnd(b, start));
        String what = start == end ? "an empty field" : text(b, start, end);
        String expected = kind == F32 || kind == F64 ? "a number" : kind == BOOL ? "an integer (bool reads integers)" : "an integer";
        return error(Problem.NOT_A_NUMBER, start, col, b, start, end,
                what + " is not " + expected + " (" + plan.type[col] + ")");
    }

    private TextParseException tooMany(byte[] b, int p, int col) {
        int end = skipToken(b, p);
        return error(Problem.TOO_MANY_FIELDS, p, col, b, p, end, text(b, p, end) + " is one field too many: rows have "
                + plan.maxFields + " fields");
    }

    private TextParseException tooFew(byte[] b, int p, int col) {
        int end = lineEnd(b, lineStart);
        String line = text(b, lineStart, end);
        String detail = "row has " + col + (col == 1 ? " field" : " fields") + ", expected "
                + (plan.maxFields == Integer.MAX_VALUE ? "at least " : "") + plan.minFields + ": " + line;
        return error(Problem.TOO_FEW_FIELDS, p, col, b, lineStart, end, detail);
    }

    private static int lineEnd(byte[] b, int p) {
        int e = nextLine(b, p) - 1;
        return e > p && b[e - 1] == '\r' ? e - 1 : e;
    }

    private TextParseException error(Problem problem, int at, int col, byte[] b, int from, int to, String detail) {
        long line;
        try {
            line = linesBefore() + linesSeen;
        } catch (IOException e) {
            line = -1;
        }
        return new TextParseException(problem, file, line, at - lineStart + 1, plan.label(col),
                new String(b, from, to - from, StandardCharsets.ISO_8859_1), detail);
    }

    /// {@return the text as a message shows it}: control bytes escaped, cut after 80 bytes
    private static String text(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to && i < from + 80; i++) {
            int c = b[i] & 0xff;
            if (c == '\t') {
                s.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                s.append(String.format("\\x%02x", c));
            } else {
                s.append((char) c);
            }
        }
        if (to - from > 80) {
            s.append("...");
        }
        return s.toString();
    }

    // ---- input ----------------------------------------------------------------------------------

    /// Makes more whole lines available from `pos` on. {@return false at the end of the input}
    private boolean fill() throws IOException {
        if (eof) {
            if (pos < limit) { // a last line without '\n': end it
                if (limit >= buf.length - SLACK) {
                    buf = Arrays.copyOf(buf, buf.length + SLACK);
                }
                buf[limit] = '\n';
                lastNl = limit++;
                return true;
            }
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufBase += pos;
            lastNl -= pos;
            limit -= pos;
            pos = 0;
        }
        long e = rangeEnd - bufBase;
        endInBuf = e > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) e;
        if (limit >= buf.length - SLACK) { // a line longer than the buffer
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = readInto(buf, limit, buf.length - SLACK - limit);
        if (n < 0) {
            eof = true;
            return fill();
        }
        int from = limit;
        limit += n;
        for (int i = limit - 1; i >= from; i--) {
            if (buf[i] == '\n') {
                lastNl = i;
                break;
            }
        }
        return true;
    }

    private int readInto(byte[] b, int off, int len) throws IOException {
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

    /// Positions the reader at the first line starting at or after `start` (the line after the
    /// first '\n' at or after `start - 1`). {@return that line's file offset}
    private long seekLineAfter(long start) throws IOException {
        channel.position(start - 1);
        bufBase = start - 1;
        while (true) {
            int n = readInto(buf, 0, buf.length - SLACK);
            if (n < 0) {
                done = true;
                eof = true;
                return bufBase;
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    limit = n;
                    pos = i + 1;
                    for (int j = n - 1; j >= 0; j--) {
                        if (buf[j] == '\n') {
                            lastNl = j;
                            break;
                        }
                    }
                    long e = rangeEnd - bufBase;
                    endInBuf = e > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) e;
                    return bufBase + pos;
                }
            }
            bufBase += n;
        }
    }

    /// {@return the number of lines before this reader's first line}, counted once, on demand
    private long linesBefore() throws IOException {
        if (linesBefore < 0) {
            linesBefore = countNewlines(firstLineStart, Long.MAX_VALUE);
        }
        return linesBefore;
    }

    /// {@return the '\n' bytes in the file before `end`, counting no further than `cap`}
    private long countNewlines(long end, long cap) throws IOException {
        long count = 0;
        byte[] b = new byte[1 << 16];
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long at = 0;
            while (at < end && count < cap) {
                ByteBuffer bb = ByteBuffer.wrap(b, 0, (int) Math.min(b.length, end - at));
                int n = ch.read(bb, at);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (b[i] == '\n') {
                        count++;
                    }
                }
                at += n;
            }
        }
        return Math.min(count, cap);
    }

    // ---- shared with TextLoader -----------------------------------------------------------------

    static InputStream openStream(Path path) throws IOException {
        return Gzip.openText(path);
    }

    private static byte[] classes(LoadOptions options) {
        byte[] c = new byte[256];
        // Python's str.isspace() for the ASCII range, apart from the line breaks.
        for (int b : new int[]{' ', '\t', 0x0b, 0x0c, 0x1c, 0x1d, 0x1e, 0x1f}) {
            c[b] = WS;
        }
        c['\n'] = NL;
        c['\r'] = CR;
        if (options.comments() != LoadOptions.NONE) {
            c[options.comments()] = COMMENT;
        }
        if (options.delimiter() != LoadOptions.WHITESPACE) {
            c[options.delimiter()] = DELIM;
        }
        return c;
    }

    /// {@return the fields of the first data row (after `skipRows`, blank and comment lines), or -1
    /// when the file has none}
    static int firstRowFields(Path path, LoadOptions options) throws IOException {
        byte[] c = classes(options);
        boolean ws = options.delimiter() == LoadOptions.WHITESPACE;
        try (InputStream in = openStream(path)) {
            byte[] line = new byte[256];
            long lineNo = 0;
            while (true) {
                int n = 0;
                int x;
                while ((x = in.read()) >= 0 && x != '\n') {
                    if (n + 2 >= line.length) {
                        line = Arrays.copyOf(line, line.length * 2);
                    }
                    line[n++] = (byte) x;
                }
                if (x < 0 && n == 0) {
                    return -1;
                }
                line[n] = '\n';
                line[n + 1] = '\n';
                if (lineNo++ < options.skipRows()) {
                    continue;
                }
                int fields = countFields(line, c, ws);
                if (fields > 0) {
                    return fields;
                }
                if (x < 0) {
                    return -1;
                }
            }
        }
    }

    /// {@return the fields of the line in `b` (ended by '\n'), as [#parseLine] splits it; 0 for no data}
    private static int countFields(byte[] b, byte[] c, boolean ws) {
        int p = 0;
        if (ws) {
            while (c[b[p] & 0xff] == WS) {
                p++;
            }
        }
        if (isLineEnd(b, p, c[b[p] & 0xff])) {
            return 0;
        }
        int fields = 0;
        while (true) {
            fields++;
            int k;
            while (true) { // to the end of this field
                k = c[b[p] & 0xff];
                if (isLineEnd(b, p, k) || k == DELIM || (ws && k == WS)) {
                    break;
                }
                p++;
            }
            if (k == DELIM) {
                p++;
                continue;
            }
            while (k == WS) {
                k = c[b[++p] & 0xff];
            }
            if (isLineEnd(b, p, k)) {
                return fields;
            }
        }
    }
}
