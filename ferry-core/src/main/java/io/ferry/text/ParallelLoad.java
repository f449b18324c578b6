package io.ferry.text;

import io.ferry.DaemonThreads;
import io.ferry.file.FileStamp;
import io.ferry.file.StandardInput;
import io.ferry.gzip.Gzip;
import io.ferry.libc.Libc;
import io.ferry.proc.ProcessLimits;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/// One plain text file parsed by several threads at once straight into the memory of one array
/// (a shared segment, a mapped `.npy` file, an arena's block), rows in file order, with no copy.
///
/// The file is cut into [ByteRange]s, one per thread. The lines starting in each range are first
/// bounded ([LineBound]: its line breaks, counted eight bytes at a time, every thread counting a
/// piece of every range); the array is made once, as long as the bounds add up to, and each range
/// is parsed into its place from its bound's offset. Comment and blank lines leave gaps, which a
/// last pass closes by moving each range's rows down; a file without them, its lines ending in
/// `\n`, has none and moves nothing. Memory whose pages come on first write
/// ([Memory#pagesOnTouch]) needs no count for the last range (or the only one): its bound is what
/// its bytes could hold. Nor for the others, where that memory has room for the rows moved
/// after ([Memory#freeBytes]): the move then closes the larger gaps loose bounds leave, by all
/// the threads, reading and writing the rows through the memory's file (a few tens of
/// milliseconds for 60 MB, where the count took 100 ms of a cold run's 600, mostly before the
/// JIT had compiled it). What is left past the last row the caller trims ([Memory] is told the
/// rows there were).
///
/// ```java
/// TextLoader loader = TextLoader.of(DType.parse("chr:S10,pos:i4"), LoadOptions.builder().delimiter('\t').build());
/// try (Arena arena = Arena.ofShared()) {
///     ParallelLoad.Loaded loaded = ParallelLoad.load(loader, Path.of("data1.txt"), 2,
///             (rows, columns, rowBytes) -> arena.allocate(Math.max(1, rows * rowBytes), 8), () -> false);
///     long[] numpyShape = loaded.shape();      // np.loadtxt(…, ndmin=1)'s shape
/// }
/// ```
///
/// When two ranges fail, the error is the first range's, the one `np.loadtxt` would have met
/// first. A file of less than [#MIN_RANGE_BYTES] a thread, or with `maxRows` (which counts from the
/// file's start), is read by one thread, the same way.
public final class ParallelLoad {
    /// The least bytes worth a thread of their own: below, starting it costs more than it saves.
    public static final long MIN_RANGE_BYTES = 4L << 20;
    /// The bytes of rows readied ([Memory#prepare]) and parsed between two looks at whether the
    /// load was called off: small, as a range's last chunk readies pages past its rows
    /// when its bound is loose.
    private static final long CHUNK_BYTES = 4L << 20;
    /// The bytes of rows read and written at a time when rows move down over a gap.
    private static final int MOVE_PIECE_BYTES = 1 << 20;

    private ParallelLoad() {
    }

    /// Where the rows go: asked once, before any row is parsed.
    @FunctionalInterface
    public interface Memory {
        /// The least bytes [#prepare] faults in by one call: 256 pages.
        long PREPARED_BYTES = 1L << 20;

        /// {@return memory for at least `rows` rows of `rowBytes` bytes}, `columns` values each (1
        /// for a structured dtype); the load writes rows from offset 0
        /// @throws IOException when it cannot be made
        MemorySegment allocate(long rows, long columns, long rowBytes) throws IOException;

        /// Makes `[offset, offset + length)` of the memory ready to be written, in the thread that
        /// will write it, just before it does (a chunk of rows at a time): by default its pages
        /// faulted in by one call rather than one fault each as rows reach them (a mapped file's
        /// pages cost most: 50-70 ms of 0.8 s for 120 MB). Memory that [#write]s its rows to a
        /// file needs nothing here: the writes allocate the pages, or fail saying why.
        /// Less than [#PREPARED_BYTES] is left to fault in as rows reach it: its pages cost a
        /// millisecond at most, and linking the call, at a run's first, 15-20 ms (most of a small
        /// file's load).
        /// @throws IOException when it cannot be
        default void prepare(MemorySegment memory, long offset, long length) throws IOException {
            if (length >= PREPARED_BYTES) {
                Libc.populateWrite(memory.asSlice(offset, length));
            }
        }

        /// Puts `length` bytes of whole `rows` (from its start) at byte `offset` of `memory`, the
        /// memory [#allocate] gave, in the thread that parsed them: by default a copy into it.
        /// Memory that maps a file may write them to the file instead (`pwrite`), so that no page
        /// of the result is ever touched through this process's mapping: where a virtual
        /// machine's hypervisor shadows its page tables, as on Ferry's own test machine, a page's
        /// first write through a mapping costs 5 µs, about what parsing its 4 KiB of rows costs,
        /// and its copy into the file 1 µs.
        /// @throws IOException when they cannot be written
        default void write(MemorySegment memory, long offset, byte[] rows, int length) throws IOException {
            MemorySegment.copy(rows, 0, memory, ValueLayout.JAVA_BYTE, offset, length);
        }

        /// Reads `length` bytes at byte `offset` of `memory` into `into`, for the pass that moves
        /// rows down over the gaps the ranges' bounds left: by default a copy out of it. Memory
        /// that [#write]s through a file reads through it too (`pread`), so that the move, like
        /// the parse, maps no page of the result into this process.
        /// @throws IOException when they cannot be read
        default void read(MemorySegment memory, long offset, byte[] into, int length) throws IOException {
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, offset, into, 0, length);
        }

        /// {@return whether memory made larger than it gets filled costs nothing}: its pages come
        /// as they are first written, and the caller gives back what is past the rows (a shared
        /// segment made on touch, a sparse mapped file). Then the last range's part (or the only
        /// one's) is made as long as its bytes could hold rows ([LineBound#rowsIn]), its lines not
        /// counted; so are the others' when the memory has room to spare ([#freeBytes]).
        /// An arena's memory, zeroed when made, is not.
        default boolean pagesOnTouch() {
            return false;
        }

        /// Gives back the bytes of `memory` from `offset` to its end, which the load no longer
        /// needs (rows moved down from there; nothing of the result is there): memory whose
        /// [#pagesOnTouch] may cut its file there. By default nothing.
        /// @throws IOException when it cannot
        default void release(MemorySegment memory, long offset) throws IOException {
        }

        /// {@return the bytes free where memory whose [#pagesOnTouch] will be made} (the file
        /// system under it): when at least twice what the rows moved after a loose bound could
        /// take, the ranges are not counted, as the move that follows may hold moved rows twice
        /// for a while (the last range's are given back as they move, [#release]; with more than
        /// two ranges the others' stay until the caller trims the memory). 0 (the default) always
        /// counts them.
        default long freeBytes() {
            return 0;
        }
    }

    /// Whether a range's part may be made as long as its bytes could hold rows: memory whose
    /// pages come on touch, in a process whose address space and file sizes have no limit. The
    /// parts are address space only, often ten times the rows, and `ulimit -v` (`RLIMIT_AS`, set
    /// on some shared machines) counts address space in full; and such memory is a file (a sparse
    /// `.npy`, a segment in `/dev/shm`) that `ulimit -f` (`RLIMIT_FSIZE`) refuses to make longer
    /// than its limit, sparse or not: a 5 MiB `.npy` failed under 10 MB, its file first made 60
    /// MB long. Under either limit the lines are counted instead.
    private static boolean loose(Memory memory) {
        return memory.pagesOnTouch() && AddressSpace.UNLIMITED && FILE_SIZE_UNLIMITED;
    }

    /// Whether this process may write files of any size ([ProcessLimits#fileSize()]), read once.
    private static final boolean FILE_SIZE_UNLIMITED = ProcessLimits.fileSize() < 0;

    /// This process's address space limit, read once.
    static final class AddressSpace {
        static final boolean UNLIMITED = unlimited(limits());

        private AddressSpace() {
        }

        /// {@return whether `limits` (the text of `/proc/self/limits`) says the address space has no soft limit}
        static boolean unlimited(String limits) {
            for (String line : limits.split("\n")) {
                if (line.startsWith("Max address space")) {
                    String[] columns = line.substring("Max address space".length()).trim().split("\\s+");
                    return columns.length > 0 && columns[0].equals("unlimited");
                }
            }
            return false; // not Linux, or a kernel that does not say: the safe side
        }

        private static String limits() {
            try {
                return Files.readString(Path.of("/proc/self/limits"));
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    /// What a load left in its memory.
    /// @param rows  the rows parsed, at the start of the memory, in file order
    /// @param shape `np.loadtxt(…, ndmin=1)`'s shape for them
    public record Loaded(long rows, long[] shape) {
    }

    /// Thrown when `cancelled` said so: the memory holds no complete result.
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /// {@return whether `file` can be loaded here}: a regular file whose size is known (not 0),
    /// not gzip-compressed (by its content), not standard input; the others are read once, whole
    /// ([TextLoader#load(Path, Arena)], [GrowingLoad]). A file of size 0 may still have lines: a
    /// procfs or sysfs file (`/proc/loadavg`) is made as it is read, and its ranges, cut from its
    /// size, held none of them ("has more lines than when it was counted").
    /// @throws IOException when it cannot be read
    public static boolean applies(Path file) throws IOException {
        return !StandardInput.is(file) && Files.isRegularFile(file) && Files.size(file) > 0 && !Gzip.isGzip(file);
    }

    /// Loads the plain file `file` with up to `threads` threads into the memory `memory` gives.
    /// {@return the rows and their shape}
    /// @throws TextParseException the first error in file order
    /// @throws Cancelled when `cancelled` becomes true (checked before the memory is made and
    ///         between chunks of rows)
    /// @throws IllegalArgumentException for a file that does not [#applies(Path)]
    /// @throws IOException when the file cannot be read, or grew while it was read
    public static Loaded load(TextLoader loader, Path file, int threads, Memory memory, BooleanSupplier cancelled)
            throws IOException {
        return load(loader, file, threads, MIN_RANGE_BYTES, memory, cancelled);
    }

    /// As [#load(TextLoader, Path, int, Memory, BooleanSupplier)], a thread for every
    /// `minRangeBytes`: small for tests, to cut small files
    static Loaded load(TextLoader loader, Path file, int threads, long minRangeBytes, Memory memory,
                       BooleanSupplier cancelled) throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, not " + threads);
        }
        if (!applies(file)) {
            throw new IllegalArgumentException(file + " is not a plain regular file: it is read whole, once, not in ranges");
        }
        long size = Files.size(file);
        int n = loader.options().maxRows() != LoadOptions.ALL_ROWS ? 1
                : (int) Math.max(1, Math.min(threads, size / Math.max(1, minRangeBytes)));
        List<ByteRange> ranges = ByteRange.split(size, n);
        // Each range opens the file by its path, and one range sized its memory by the size read
        // above: a file replaced or written meanwhile is refused, with one range as with several.
        FileStamp stamp = FileStamp.of(file);
        Loaded loaded;
        try {
            if (n == 1) {
                loaded = new Range(loader, file, ranges.getFirst(), 0, true).load(memory, size, cancelled);
            } else {
                List<Range> parts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    parts.add(new Range(loader, file, ranges.get(i), i, i == n - 1));
                }
                try (ExecutorService pool = Executors.newFixedThreadPool(n - 1, new DaemonThreads("ferry-load-"))) {
                    loaded = loadInParallel(parts, pool, memory, size, cancelled);
                }
            }
        } catch (IOException | RuntimeException failed) {
            stamp.throwIfChanged(file, failed);
            throw failed;
        }
        stamp.checkUnchanged(file);
        return loaded;
    }

    private static Loaded loadInParallel(List<Range> parts, ExecutorService pool, Memory memory, long size,
                                         BooleanSupplier cancelled) throws IOException {
        try {
            return loadRanges(parts, pool, memory, size, cancelled);
        } finally {
            for (Range r : parts) {
                r.close();
            }
        }
    }

    private static Loaded loadRanges(List<Range> parts, ExecutorService pool, Memory memory, long size,
                                     BooleanSupplier cancelled) throws IOException {
        // A range's rows go after the bounds of those before it. Memory that costs nothing until
        // written takes the last range's loose bound (its bytes could hold no more rows), and
        // every range's when it has room for the rows moved down over the gaps those leave
        // (counting them took 100 ms of a cold run's 600, its code not yet compiled; the move
        // takes a few tens of milliseconds). The lines of the other ranges are counted by all
        // threads at once: each counts a piece of each, where one thread a range left the others
        // waiting for the slowest count.
        Range first = parts.getFirst();
        first.open();
        long rowBytes = first.reader.rowBytes();
        int counted = !loose(memory) ? parts.size()
                : movedAtMost(parts, size, rowBytes) <= memory.freeBytes() / 2 ? 0 : parts.size() - 1;
        long[][] breaks = new long[counted][parts.size()];
        // This thread takes the first range of each step, the pool the others.
        run(parts, pool, r -> r.count(parts, counted, breaks));
        check(cancelled);
        long capacity = 0;
        for (Range r : parts) {
            r.bound = r.index < counted ? Arrays.stream(breaks[r.index]).sum() + LineBound.firstLine(r.cut)
                    : LineBound.rowsIn((r.last ? size : r.cut.end()) - r.cut.start());
            r.offset = capacity;
            capacity += r.bound;
        }
        MemorySegment target = memory.allocate(capacity, first.reader.columns(), rowBytes);
        run(parts, pool, r -> r.parse(memory, target, rowBytes, cancelled));
        long rows = 0;
        for (Range r : parts) { // close the gaps that comment and blank lines left
            if (r.offset != rows && r.rows > 0) {
                moveDown(memory, target, r.offset * rowBytes, rows * rowBytes, r.rows * rowBytes, r.last, parts, pool);
            }
            rows += r.rows;
        }
        return new Loaded(rows, first.reader.shape(rows));
    }

    /// {@return the most bytes of rows the ranges after the first could hold}: what closing the
    /// gaps after loose bounds could move, and so briefly hold twice
    private static long movedAtMost(List<Range> parts, long size, long rowBytes) {
        long rows = LineBound.rowsIn(size - parts.get(1).cut.start());
        return rows > Long.MAX_VALUE / Math.max(1, rowBytes) ? Long.MAX_VALUE : rows * rowBytes;
    }

    /// Moves `length` bytes of `target` from `from` down to `to`, by all the threads when what
    /// they write is below all they read (as a loose bound leaves it: the kernel's work of making
    /// the pages written is most of the move's, and one thread did it while the others waited).
    /// The threads then take chunks from the top down, and when the bytes moved are the last the
    /// memory holds (`last`), what is above the lowest chunk whose chunks above are all moved is
    /// given back as they go ([Memory#release]): the rows are held twice a few chunks at a time,
    /// not whole.
    private static void moveDown(Memory memory, MemorySegment target, long from, long to, long length, boolean last,
                                 List<Range> parts, ExecutorService pool) throws IOException {
        if (to + length > from || length < parts.size() * CHUNK_BYTES) {
            moveDown(memory, target, from, to, length, new byte[(int) Math.min(length, MOVE_PIECE_BYTES)]);
            return;
        }
        int chunks = (int) ((length + CHUNK_BYTES - 1) / CHUNK_BYTES);
        ReleasedBehind behind = last ? new ReleasedBehind(chunks, memory, target, from) : null;
        run(parts, pool, new ChunksDown(memory, target, from, to, length, chunks, behind));
    }

    /// Each thread's part of a move by all: the next chunk down, until none is left. A class, not
    /// a lambda: a lambda the start-up cache did not see in its training (whose tables are too
    /// small to move by all threads) is made on its first use, 5 ms into a large load's end.
    private static final class ChunksDown implements Step {
        private final Memory memory;
        private final MemorySegment target;
        private final long from;
        private final long to;
        private final long length;
        private final AtomicInteger next;
        private final ReleasedBehind behind; // null unless the memory is cut behind the move

        ChunksDown(Memory memory, MemorySegment target, long from, long to, long length, int chunks,
                   ReleasedBehind behind) {
            this.memory = memory;
            this.target = target;
            this.from = from;
            this.to = to;
            this.length = length;
            this.next = new AtomicInteger(chunks);
            this.behind = behind;
        }

        @Override
        public void on(Range r) throws IOException {
            byte[] piece = new byte[MOVE_PIECE_BYTES];
            for (int i; (i = next.decrementAndGet()) >= 0; ) {
                long start = i * CHUNK_BYTES;
                moveDown(memory, target, from + start, to + start, Math.min(CHUNK_BYTES, length - start), piece);
                if (behind != null) {
                    behind.moved(i);
                }
            }
        }
    }

    /// The chunks of a move from `from`, taken from the top down by several threads: once a chunk
    /// and all above it are moved, the memory from that chunk up is given back
    /// ([Memory#release]), one cut at a time, each lower than the one before.
    private static final class ReleasedBehind {
        private final boolean[] moved;
        private final Memory memory;
        private final MemorySegment target;
        private final long from;
        private int lowest; // the lowest chunk that it and all above it are moved

        ReleasedBehind(int chunks, Memory memory, MemorySegment target, long from) {
            this.moved = new boolean[chunks];
            this.lowest = chunks;
            this.memory = memory;
            this.target = target;
            this.from = from;
        }

        synchronized void moved(int chunk) throws IOException {
            moved[chunk] = true;
            int was = lowest;
            while (lowest > 0 && moved[lowest - 1]) {
                lowest--;
            }
            if (lowest < was) {
                memory.release(target, from + lowest * CHUNK_BYTES);
            }
        }
    }

    /// Moves `length` bytes of `target` from `from` down to `to`, written as the rows were
    /// ([Memory#write]), a piece at a time from the lowest: a piece is read whole before it is
    /// written, and never over bytes still to be read.
    private static void moveDown(Memory memory, MemorySegment target, long from, long to, long length, byte[] piece)
            throws IOException {
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(piece.length, length - done);
            memory.read(target, from + done, piece, n);
            memory.write(target, to + done, piece, n);
            done += n;
        }
    }

    @FunctionalInterface
    private interface Step {
        void on(Range r) throws IOException;
    }

    /// Runs `step` on every range, the first in this thread, and waits for all.
    /// @throws IOException (or a runtime exception, an error) the first range's failure in file order
    private static void run(List<Range> parts, ExecutorService pool, Step step) throws IOException {
        List<Future<?>> others = new ArrayList<>();
        for (Range r : parts.subList(1, parts.size())) {
            others.add(pool.submit(() -> {
                step.on(r);
                return null;
            }));
        }
        Throwable failure = null;
        try {
            step.on(parts.getFirst());
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new java.io.InterruptedIOException("interrupted while loading");
            }
        }
        if (failure != null) {
            switch (failure) {
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException(failure);
            }
        }
    }

    private static void check(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new Cancelled();
        }
    }

    /// One byte range: its reader, its bound and where its rows go.
    private static final class Range {
        final TextLoader loader;
        final Path file;
        final ByteRange cut;     // its bytes, as the file was cut
        final ByteRange range;   // what its reader reads
        final int index;
        final boolean last;
        TableReader reader;
        long bound;
        long offset;
        long rows;

        Range(TextLoader loader, Path file, ByteRange range, int index, boolean last) {
            this.loader = loader;
            this.file = file;
            this.cut = range;
            // The last range reads to the file's end, as the loader's whole-file reader does.
            this.range = last ? new ByteRange(range.start(), Long.MAX_VALUE) : range;
            this.index = index;
            this.last = last;
        }

        /// Counts this thread's piece of each of the first `counted` ranges into `breaks[k][index]`,
        /// and opens this range's reader.
        void count(List<Range> parts, int counted, long[][] breaks) throws IOException {
            int pieces = parts.size();
            for (int k = 0; k < counted; k++) {
                ByteRange piece = LineBound.breaksBefore(parts.get(k).cut).piece(index, pieces);
                breaks[k][index] = LineBound.breaks(file, piece.start(), piece.end());
            }
            open();
        }

        /// Opens this range's reader, once.
        void open() throws IOException {
            if (reader != null) {
                return;
            }
            reader = range.start() == 0 && last ? loader.open(file) : loader.open(file, range);
        }

        void parse(Memory memory, MemorySegment target, long rowBytes, BooleanSupplier cancelled) throws IOException {
            try (TableReader r = reader) {
                if (rowBytes > 0) {
                    long start = offset * rowBytes; // this range's first byte in the memory
                    long chunk = Math.max(1, CHUNK_BYTES / rowBytes);
                    while (rows < bound) {
                        long n = Math.min(chunk, bound - rows);
                        // A chunk at a time: the kernel fills one file's pages for one caller at
                        // a time, so threads that each asked for all of theirs at once waited for
                        // each other instead of parsing meanwhile (45 ms a load of 120 MB).
                        memory.prepare(target, (offset + rows) * rowBytes, n * rowBytes);
                        long at = start + rows * rowBytes;
                        long got = r.read((block, length, from) -> memory.write(target, at + from, block, length), n);
                        if (got == 0) {
                            break;
                        }
                        rows += got;
                        check(cancelled);
                    }
                    if (rows == bound && r.read(MemorySegment.ofArray(new byte[(int) rowBytes]), 1) > 0) {
                        throw new IOException(file + ": has more lines than when it was counted: it changed while"
                                + " it was read");
                    }
                }
            }
        }

        /// The single-range load: bound, memory, parse, in this thread.
        Loaded load(Memory memory, long size, BooleanSupplier cancelled) throws IOException {
            bound = loose(memory) ? LineBound.rowsIn(size) : LineBound.lines(file, size);
            try {
                open();
                check(cancelled);
                MemorySegment target = memory.allocate(bound, reader.columns(), reader.rowBytes());
                parse(memory, target, reader.rowBytes(), cancelled);
                return new Loaded(rows, reader.shape(rows));
            } finally {
                close();
            }
        }

        void close() {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // closing a file read only; the load's own failure is the one to report
                }
            }
        }
    }
}
