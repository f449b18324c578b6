package io.ferry.text;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.file.FileStamp;
import io.ferry.file.StandardInput;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/// Loads text tables as `np.loadtxt(path, dtype=…, ndmin=1)` (numpy 1.23 and later) does, into
/// numpy-compatible arrays, with the same values bit for bit, and an error where numpy would be
/// silently wrong (see [LoadOptions#lenient()] and [TextParseException]).
///
/// ```java
/// DType dt = DType.parse("chr:S10,pos:i4,pct:f4,c:i4,t:i4");
/// TextLoader loader = TextLoader.of(dt, LoadOptions.builder().delimiter('\t').build());
/// try (Arena arena = Arena.ofConfined()) {
///     NdArray table = loader.load(file, arena);          // one record per row
///     assert table.column("chr").getString(0).equals("chr1");
///
///     NdArray grid = TextLoader.of(DType.parse("f8")).load(numbers, arena); // rows x columns
///     assert grid.ndim() == 2;
/// }
/// ```
///
/// A structured dtype gives one record per row. A plain dtype gives rows × columns, shaped as
/// numpy's `ndmin=1` shapes it: a dimension of length 1 goes, so one column is `(rows,)` and one
/// row `(columns,)` (see [TableReader#shape(long)]).
///
/// The text is read as numpy reads it, in UTF-8: lines end at `\n`, `\r\n` or a lone `\r`;
/// without a delimiter, every Unicode whitespace character separates fields; whitespace around
/// a number is stripped; an `S<n>` field holds the text's characters as Latin-1 (`é` is `0xe9`,
/// a character past U+00FF an error). Files compressed with gzip (recognised by their first
/// bytes, not by name: [io.ferry.gzip.Gzip]) are read whole, every member (concatenated gzip,
/// BGZF) inflated and checked by [io.ferry.gzip.GzipStream]: a damaged or truncated file is a
/// [io.ferry.gzip.GzipFormatException] naming the file and the byte offset, never fewer rows.
/// Plain files can also be read in [ByteRange]s, one reader per range, for parallel loading.
///
/// Where Ferry differs from numpy on purpose: it refuses a quoted field with a line break in it
/// (numpy reads on into the next line); it checks the UTF-8 only of the text it converts (numpy
/// refuses a file with invalid UTF-8 anywhere, in a comment or a column not read too); a line
/// may be at most [LoadOptions#maxLineBytes()] long.
public final class TextLoader {
    private static final long CHUNK_BYTES = 16L << 20;

    private final DType dtype;
    private final LoadOptions options;

    private TextLoader(DType dtype, LoadOptions options) {
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.options = Objects.requireNonNull(options, "options");
        RowPlan.checkUseCols(dtype, options);
    }

    /// {@return a loader of `dtype` with `options`}
    /// @throws IllegalArgumentException when useCols does not name one column per field of a structured dtype
    public static TextLoader of(DType dtype, LoadOptions options) {
        return new TextLoader(dtype, options);
    }

    /// {@return a loader of `dtype` with [LoadOptions#DEFAULT]}
    public static TextLoader of(DType dtype) {
        return new TextLoader(dtype, LoadOptions.DEFAULT);
    }

    /// {@return the dtype of the rows}
    public DType dtype() {
        return dtype;
    }

    /// {@return the options}
    public LoadOptions options() {
        return options;
    }

    /// {@return the most heap one reader of this loader may hold, bounded by the longest line}:
    /// a line longer than its 256 KiB buffer is held twice at most (the buffer grown to it, and the
    /// line's fields when the line path splits it; a gzip reader's buffer, which cannot look ahead,
    /// doubles), plus two buffers, and what a gzip reader reads ahead (1 MiB) or a BGZF reader
    /// holds of the compressed file (1 MiB and a block). A worker JVM's heap needs this much beyond
    /// its own.
    public long readerHeapBytes() {
        return 2 * options.maxLineBytes() + (2L << 18) + (5L << 18);
    }

    /// Loads the whole file into memory from `arena`.
    ///
    /// A file that changes while it is read (cut short, written to, replaced: judged by its
    /// [FileStamp] before and after) fails saying so, as the threaded load does, not as the bad
    /// row a line cut short makes at a line neither the file before nor the file after holds.
    ///
    /// {@return the array: one record per row, or rows × columns}
    /// @throws TextParseException for text that does not fit the dtype
    /// @throws io.ferry.gzip.GzipFormatException for a gzip file that is damaged or cut short
    /// @throws FileStamp.FileChangedException when the file changed while it was read
    /// @throws IOException when the file cannot be read
    public NdArray load(Path file, Arena arena) throws IOException {
        return load(file, arena, CHUNK_BYTES, () -> { });
    }

    /// As [#load(Path, Arena)], the rows read `chunkBytes` at a time, `afterChunk` run after
    /// each chunk: for tests, to change the file at a known point of the load
    NdArray load(Path file, Arena arena, long chunkBytes, Runnable afterChunk) throws IOException {
        // A regular file with bytes: standard input, a pipe and a procfs file (size 0, made as it
        // is read) have nothing a stamp could compare.
        FileStamp stamp = !StandardInput.is(file) && Files.isRegularFile(file) && Files.size(file) > 0
                ? FileStamp.of(file) : null;
        NdArray loaded;
        try {
            loaded = read(file, arena, chunkBytes, afterChunk);
        } catch (IOException | RuntimeException failed) {
            if (stamp != null) {
                stamp.throwIfChanged(file, failed);
            }
            throw failed;
        }
        if (stamp != null) {
            stamp.checkUnchanged(file);   // cut at a line's end, it read fewer rows without an error
        }
        return loaded;
    }

    private NdArray read(Path file, Arena arena, long chunkBytes, Runnable afterChunk) throws IOException {
        try (TableReader r = open(file); Arena scratch = Arena.ofConfined()) {
            long rowBytes = r.rowBytes();
            if (rowBytes == 0) {
                return NdArray.allocate(dtype, arena, r.shape(0));
            }
            long chunkRows = Math.max(1, chunkBytes / rowBytes);
            List<MemorySegment> chunks = new ArrayList<>();
            long total = 0;
            while (true) {
                MemorySegment chunk = scratch.allocate(chunkRows * rowBytes, 8);
                long n = r.read(chunk, chunkRows);
                if (n == 0) {
                    break;
                }
                chunks.add(chunk.asSlice(0, n * rowBytes));
                total += n;
                if (n < chunkRows) {
                    break;
                }
                afterChunk.run();
            }
            MemorySegment out = arena.allocate(Math.max(1, total * rowBytes), 8);
            long at = 0;
            for (MemorySegment c : chunks) {
                MemorySegment.copy(c, 0, out, at, c.byteSize());
                at += c.byteSize();
            }
            return NdArray.wrap(dtype, out, r.shape(total));
        }
    }

    /// Loads the whole file into memory that `arena` owns, a plain file parsed by up to `threads`
    /// threads at once straight into the array ([ParallelLoad]); others as [#load(Path, Arena)].
    ///
    /// `arena` may be any arena, a confined one too, as for [#load(Path, Arena)]: the threads
    /// parse into memory of an arena of their own, which `arena` then owns, with no copy (freed
    /// when `arena` closes, used from its thread alone if it is confined). Memory from a confined
    /// arena can be written by its owner thread only: a file large enough for several threads
    /// failed with a `WrongThreadException`, where a smaller one, parsed by one, loaded.
    ///
    /// {@return the array: one record per row, or rows × columns}
    /// @throws TextParseException for text that does not fit the dtype, the first in the file
    /// @throws IOException when the file cannot be read
    /// @throws IllegalStateException when `arena` is closed
    @SuppressWarnings("restricted")   // reinterpret, to hand the parsed memory to `arena`; the loader's threads need native access anyway
    public NdArray load(Path file, Arena arena, int threads) throws IOException {
        if (!ParallelLoad.applies(file)) {
            return load(file, arena);
        }
        if (!arena.scope().isAlive()) {   // before the parse, not after it, as arena.allocate would
            throw new IllegalStateException("the arena to load " + file + " into is closed");
        }
        Arena parsed = Arena.ofShared();
        try {
            MemorySegment[] memory = new MemorySegment[1];
            ParallelLoad.Loaded loaded = ParallelLoad.load(this, file, threads,
                    (rows, columns, rowBytes) -> memory[0] = parsed.allocate(Math.max(1, rows * rowBytes), 8), () -> false);
            MemorySegment owned = memory[0].reinterpret(arena, freed -> parsed.close());
            return NdArray.wrap(dtype, owned, loaded.shape());
        } catch (IOException | RuntimeException | Error e) {
            parsed.close();
            throw e;
        }
    }

    /// {@return the columns of `file` read with this loader's plain dtype, as a grid's width}: as
    /// many as useCols names, else the fields of the file's first data row, which every other row
    /// must have too; 1 for a file without data rows. The second axis of
    /// `np.loadtxt(file, ndmin=2)`'s shape, so a conversion can shape its dataset before any row is read.
    /// @throws IllegalStateException for a structured dtype (a record per row has no columns)
    /// @throws IOException when the file cannot be read
    public long columns(Path file) throws IOException {
        if (dtype.isStructured()) {
            throw new IllegalStateException("a structured dtype " + dtype + " gives one record per row, not columns");
        }
        if (options.useCols() != null) {
            return options.useCols().length;
        }
        return Math.max(1, LinePath.firstRow(file, options).fields());
    }

    /// {@return a reader of every row of `file`}
    /// @throws IOException when the file cannot be opened
    public TableReader open(Path file) throws IOException {
        return open(file, 0, Long.MAX_VALUE, true);
    }

    /// {@return a reader of the lines of `file` that start in `range`} (see [ByteRange] for the rule)
    /// @throws IllegalArgumentException for a gzip file that is not BGZF and a range that is not the whole file, or
    ///         for maxRows with a range not starting at 0 (numpy's max_rows counts from the file's start)
    public TableReader open(Path file, ByteRange range) throws IOException {
        long size = Files.size(file);
        return open(file, range.start(), range.end(), range.start() == 0 && range.end() >= size);
    }

    /// {@return the lines of the plain (not gzip) file `file`, as the loader counts them}: `\n`,
    /// `\r\n` and a lone `\r` end a line; a last line without one counts too. A table has no more
    /// rows than that, whatever its options.
    public static long lines(Path file) throws IOException {
        return LineBreaks.lines(file);
    }

    /// {@return a reader of every row of `file` that reads every line through the line path}: the
    /// reference the tests hold the parse loop to
    TableReader openLinePathOnly(Path file) throws IOException {
        return new TableReader(file, plan(file), options, 0, Long.MAX_VALUE, true, true);
    }

    private TableReader open(Path file, long start, long end, boolean whole) throws IOException {
        if (start > 0 && options.maxRows() != LoadOptions.ALL_ROWS) {
            throw new IllegalArgumentException("maxRows counts rows from the start of the file: it cannot apply to a"
                    + " byte range starting at " + start);
        }
        return new TableReader(file, plan(file), options, start, end, whole);
    }

    /// {@return where each column goes}: a plain dtype's columns, and negative useCols, are counted
    /// in the file's first data row
    private RowPlan plan(Path file) throws IOException {
        boolean needFirstRow = !dtype.isStructured() || options.useCols() != null;
        return new RowPlan(dtype, options, needFirstRow ? LinePath.firstRow(file, options).fields() : -1);
    }
}
