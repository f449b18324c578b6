package io.ferry.share;

import io.ferry.array.NdArray;
import io.ferry.proc.ProcessLimits;
import io.ferry.shm.SharedArray;
import io.ferry.shm.SharedMemoryException;
import io.ferry.shm.SharedMemorySpace;
import io.ferry.text.GrowingLoad;
import io.ferry.text.ParallelLoad;
import io.ferry.text.TextLoader;
import io.ferry.text.TextParseException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/// Text tables loaded into shared arrays: a plain file is parsed straight into the segment by
/// several threads ([ParallelLoad]), a gzipped one by one thread into a segment that grows
/// ([GrowingLoad]), standard input parsed first and copied once. What `ferry share` and [LoadIntoSharedArray] do.
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

    /// Thrown by [#load(TextLoader, Path, BooleanSupplier)] when `cancelled` said so: nothing of the
    /// load is left.
    public static final class Cancelled extends RuntimeException {
        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    /// {@return `file` loaded by `loader` into a new shared array owned by the caller}, with
    /// `np.loadtxt(file, dtype=…, ndmin=1)`'s shape, parsed by as many threads as there are cores
    /// @throws IOException         when the file cannot be read
    /// @throws TextParseException  when a line is not what the dtype and options say
    public static SharedArray load(TextLoader loader, Path file) throws IOException {
        return load(loader, file, Runtime.getRuntime().availableProcessors(), () -> false);
    }

    /// {@return `file` loaded by `loader` into a new shared array owned by the caller}, a plain
    /// file parsed by up to `threads` threads at once ([ParallelLoad])
    /// @throws Cancelled when `cancelled` becomes true before the load is over (checked before the
    ///         segment is made and between chunks of rows)
    public static SharedArray load(TextLoader loader, Path file, int threads, BooleanSupplier cancelled) throws IOException {
        boolean plain = ParallelLoad.applies(file);
        if (!plain && !GrowingLoad.applies(file)) {
            // Standard input: parsed whole, then copied once, through the segment's file (see
            // SharedSegment.write).
            try (Arena arena = Arena.ofConfined()) {
                NdArray loaded = loader.load(file, arena);
                checkNot(cancelled);
                SharedArray shared = SharedArray.createOnTouch(loaded.dtype(), loaded.shape());
                try {
                    shared.segment().write(0, loaded.segment().asSlice(0, loaded.byteSize()));
                } catch (IOException | RuntimeException e) {
                    shared.close();
                    throw e;
                }
                return shared;
            }
        }
        // A plain file has no more rows than lines, and a gzip one is guessed and grown: the array
        // is made that long, its pages coming as the rows are written into it through the
        // segment's file (see SharedSegment.write), then shrunk to the rows there were.
        SharedArray[] made = new SharedArray[1];
        GrowingLoad.Memory memory = new GrowingLoad.Memory() {
            @Override
            public MemorySegment allocate(long rows, long columns, long rowBytes) throws IOException {
                // A segment is a file in /dev/shm, which ulimit -f limits as any other.
                ProcessLimits.checkFileSize(file + ": its shared array, made for " + rows + " rows,",
                        Math.max(1, rows * rowBytes));
                made[0] = SharedArray.createOnTouch(loader.dtype(), columns == 1 || loader.dtype().isStructured()
                        ? new long[]{rows} : new long[]{rows, columns});
                return made[0].array().segment();
            }

            @Override
            public void prepare(MemorySegment memory, long offset, long length) {
                // nothing: writing the rows allocates their pages, or says /dev/shm is full
            }

            @Override
            public void write(MemorySegment memory, long offset, byte[] rows, int length) throws IOException {
                made[0].segment().write(offset, rows, 0, length); // through the file: see SharedSegment.write
            }

            @Override
            public void read(MemorySegment memory, long offset, byte[] into, int length) throws IOException {
                made[0].segment().read(offset, into, 0, length);
            }

            @Override
            public MemorySegment grow(MemorySegment old, long rows, long rowBytes) throws IOException {
                ProcessLimits.checkFileSize(file + ": its shared array, made longer for rows to come,", rows * rowBytes);
                return made[0].growTo(rows).array().segment();
            }

            @Override
            public boolean pagesOnTouch() { // and shrinkTo cuts the segment to the rows
                return true;
            }

            @Override
            public void release(MemorySegment memory, long offset) {
                made[0].segment().truncate(offset); // then shrinkTo cuts it to the rows
            }

            @Override
            public long freeBytes() {
                try {
                    return SharedMemorySpace.now().free();
                } catch (SharedMemoryException e) {
                    return 0; // the segment's making says why
                }
            }
        };
        try {
            ParallelLoad.Loaded loaded;
            try {
                loaded = plain ? ParallelLoad.load(loader, file, threads, memory, cancelled)
                        : GrowingLoad.load(loader, file, memory, cancelled);
            } catch (ParallelLoad.Cancelled e) {
                throw new Cancelled();
            }
            SharedArray shared = made[0];
            if (loaded.shape().length == shared.array().shape().length) {
                return shared.shrinkTo(loaded.rows());
            }
            // No row, or one row of a plain dtype: numpy's shape drops a dimension. A row at
            // most to copy into an array of that shape.
            SharedArray exact = SharedArray.create(loader.dtype(), loaded.shape());
            MemorySegment.copy(shared.array().segment(), 0, exact.array().segment(), 0, exact.array().byteSize());
            shared.close();
            return exact;
        } catch (IOException | RuntimeException | Error e) {
            if (made[0] != null) {
                made[0].close();
            }
            throw e;
        }
    }

    private static void checkNot(BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            throw new Cancelled();
        }
    }
}
