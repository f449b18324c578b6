package io.ferry.share;

import io.ferry.array.NdArray;
import io.ferry.gzip.Gzip;
import io.ferry.shm.SharedArray;
import io.ferry.text.TableReader;
import io.ferry.text.TextLoader;
import io.ferry.text.TextParseException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/// Text tables loaded into shared arrays: a plain file is parsed straight into the segment, a
/// gzipped one parsed first and copied once. What `ferry share` and [LoadIntoSharedArray] do.
///
/// ```java
/// TextLoader loader = TextLoader.of(DType.parse("chr:S10,pos:i4"), LoadOptions.builder().delimiter('\t').build());
/// try (SharedArray a = SharedTables.load(loader, Path.of("data1.txt"))) {   // the caller owns it
///     String handle = a.handleJson();                                       // for another process
/// }
/// ```
public final class SharedTables {
    private SharedTables() {
    }

    /// Rows parsed between two looks at whether the load was called off.
    private static final long CHUNK_BYTES = 16L << 20;

    /// Thrown by [#load(TextLoader, Path, BooleanSupplier)] when `cancelled` said so: nothing of the
    /// load is left.
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /// {@return `file` loaded by `loader` into a new shared array owned by the caller}, with
    /// `np.loadtxt(file, dtype=…, ndmin=1)`'s shape
    /// @throws IOException         when the file cannot be read
    /// @throws TextParseException  when a line is not what the dtype and options say
    public static SharedArray load(TextLoader loader, Path file) throws IOException {
        return load(loader, file, () -> false);
    }

    /// {@return `file` loaded by `loader` into a new shared array owned by the caller}
    /// @throws Cancelled when `cancelled` becomes true before the load is over (checked before the
    ///         segment is made and between chunks of rows)
    public static SharedArray load(TextLoader loader, Path file, BooleanSupplier cancelled) throws IOException {
        if (Gzip.isGzip(file)) {
            // A gzip stream's line count is not known without inflating it all: parse, then copy once.
            try (Arena arena = Arena.ofConfined()) {
                NdArray loaded = loader.load(file, arena);
                checkNot(cancelled);
                SharedArray shared = SharedArray.create(loaded.dtype(), loaded.shape());
                MemorySegment.copy(loaded.segment(), 0, shared.array().segment(), 0, loaded.byteSize());
                return shared;
            }
        }
        // A plain file: no more rows than lines, so the array is made that long and parsed into
        // straight away, then shrunk to the rows there were (comments and blank lines).
        long capacity = TextLoader.lines(file);
        checkNot(cancelled);
        try (TableReader reader = loader.open(file)) {
            long columns = reader.columns();
            long[] shape = loader.dtype().isStructured() || columns == 1 ? new long[]{capacity} : new long[]{capacity, columns};
            SharedArray shared = SharedArray.create(loader.dtype(), shape);
            try {
                long rowBytes = reader.rowBytes();
                long rows = 0;
                if (rowBytes > 0) {
                    long chunk = Math.max(1, CHUNK_BYTES / rowBytes);
                    for (long n; (n = reader.read(shared.array().segment().asSlice(rows * rowBytes),
                            Math.min(chunk, capacity - rows))) > 0; ) {
                        rows += n;
                        checkNot(cancelled);
                    }
                }
                long[] numpy = reader.shape(rows);
                if (numpy.length == shape.length) {
                    return shared.shrinkTo(rows);
                }
                // No row, or one row of a plain dtype: numpy's shape drops a dimension. A row at
                // most to copy into an array of that shape.
                SharedArray exact = SharedArray.create(loader.dtype(), numpy);
                MemorySegment.copy(shared.array().segment(), 0, exact.array().segment(), 0, rows * rowBytes);
                shared.close();
                return exact;
            } catch (IOException | RuntimeException | Error e) {
                shared.close();
                throw e;
            }
        }
    }

    private static void checkNot(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new Cancelled();
        }
    }
}
