package io.ferry.text;

import io.ferry.gzip.Gzip;
import io.ferry.proc.ProcessLimits;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/// A gzip file parsed from its start by one thread straight into the memory of its array (a
/// shared segment, a `.npy` file), which is made for a guess of its rows and made longer as the
/// rows come: a gzip stream's lines are not known without inflating it all, and the rows used to
/// be parsed into chunks first, then copied into one more array as long as them all, then into
/// the memory (three copies, and twice the array's memory at the peak). So is a file whose size
/// says nothing of its lines: 0, as procfs says of its files.
///
/// ```java
/// TextLoader loader = TextLoader.of(DType.parse("chr:S10,pos:i4"), LoadOptions.builder().delimiter('\t').build());
/// try (Arena arena = Arena.ofConfined()) {
///     MemorySegment[] memory = new MemorySegment[1];
///     ParallelLoad.Loaded loaded = GrowingLoad.load(loader, Path.of("data1.txt.gz"), new GrowingLoad.Memory() {
///         public MemorySegment allocate(long rows, long columns, long rowBytes) {
///             return memory[0] = arena.allocate(Math.max(1, rows * rowBytes), 8);
///         }
///
///         public MemorySegment grow(MemorySegment old, long rows, long rowBytes) {
///             MemorySegment longer = arena.allocate(rows * rowBytes, 8);      // a copy here; a file grows in place
///             return memory[0] = longer.copyFrom(old);
///         }
///     }, () -> false);
///     long[] numpyShape = loaded.shape();      // np.loadtxt(…, ndmin=1)'s shape
/// }
/// ```
public final class GrowingLoad {
    /// The bytes of rows parsed between two looks at whether the load was called off, and at
    /// whether the memory must grow.
    private static final long CHUNK_BYTES = 4L << 20;
    /// Text bytes guessed for each compressed byte: tables of numbers inflate three to six times.
    private static final long INFLATION_GUESS = 4;
    /// Text bytes guessed a row: shorter than most tables' lines, so the guess is seldom short.
    private static final long LINE_BYTES_GUESS = 16;
    /// Bytes kept under a file-size limit for what the memory's file holds before its rows (a
    /// `.npy` header, 128 bytes for most dtypes).
    private static final long HEADER_ROOM = 4096;

    private GrowingLoad() {
    }

    /// {@return the most rows of `rowBytes` bytes a file may hold under `ulimit -f`}, less a few
    /// KiB for a header, or [Long#MAX_VALUE] without a limit: the memory is a file (a `.npy`, a
    /// segment in `/dev/shm`), and a guess or a doubling past the limit failed a load whose
    /// rows fit under it
    private static long rowsUnderFileSizeLimit(long rowBytes) {
        long limit = ProcessLimits.fileSize();
        return limit < 0 || rowBytes <= 0 ? Long.MAX_VALUE : Math.max(1, (limit - HEADER_ROOM) / rowBytes);
    }

    /// Where the rows go: made once, then made longer as often as the rows need.
    public interface Memory extends ParallelLoad.Memory {
        /// {@return `old` made `rows` rows of `rowBytes` bytes long (more than it was), the rows
        /// written into it kept}
        /// @throws IOException when it cannot be
        MemorySegment grow(MemorySegment old, long rows, long rowBytes) throws IOException;
    }

    /// {@return whether `file` is loaded here rather than by [ParallelLoad]}: a regular file
    /// compressed with gzip (by its content), which is read from its start only, or one whose
    /// size is 0, which may still have lines (a procfs file, made as it is read: see
    /// [ParallelLoad#applies(Path)])
    /// @throws IOException when it cannot be read
    public static boolean applies(Path file) throws IOException {
        return Files.isRegularFile(file) && (Files.size(file) == 0 || Gzip.isGzip(file));
    }

    /// Loads `file` from its start into the memory `memory` gives, made longer as the rows need.
    /// {@return the rows, at the memory's start in file order, and their shape}
    /// @throws TextParseException the first error in the file
    /// @throws ParallelLoad.Cancelled when `cancelled` becomes true (checked between chunks of rows)
    /// @throws IOException when the file cannot be read, or the memory made or grown
    public static ParallelLoad.Loaded load(TextLoader loader, Path file, Memory memory, BooleanSupplier cancelled)
            throws IOException {
        try (TableReader r = loader.open(file)) {
            long rowBytes = r.rowBytes();
            long most = rowsUnderFileSizeLimit(rowBytes);
            long capacity = Math.max(1, Math.min(most, Files.size(file) * INFLATION_GUESS / LINE_BYTES_GUESS));
            MemorySegment target = memory.allocate(capacity, r.columns(), rowBytes);
            if (rowBytes == 0) {
                return new ParallelLoad.Loaded(0, r.shape(0));
            }
            long chunk = Math.max(1, CHUNK_BYTES / rowBytes);
            long rows = 0;
            while (true) {
                if (rows == capacity) { // full: twice as long, so a table grows O(log rows) times
                    capacity = capacity < most ? Math.min(most, Math.multiplyExact(capacity, 2))
                            : Math.multiplyExact(capacity, 2); // past the limit: the memory says so
                    target = memory.grow(target, capacity, rowBytes);
                }
                MemorySegment into = target;
                long at = rows * rowBytes;
                long want = Math.min(chunk, capacity - rows);
                long got = r.read((block, length, from) -> memory.write(into, at + from, block, length), want);
                rows += got;
                if (got < want) {
                    break;
                }
                if (cancelled.getAsBoolean()) {
                    throw new ParallelLoad.Cancelled();
                }
            }
            return new ParallelLoad.Loaded(rows, r.shape(rows));
        }
    }
}
