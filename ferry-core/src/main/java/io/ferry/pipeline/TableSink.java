package io.ferry.pipeline;

import io.ferry.dtype.DType;

import java.io.IOException;
import java.nio.file.Path;

/// Where a conversion's records go: one dataset per input, committed all at once.
///
/// The HDF5 file of `ferry-hdf5` is the sink `ferry convert` uses. A sink is used by one writer
/// thread at a time; it need not be thread-safe.
public interface TableSink extends AutoCloseable {

    /// {@return an appender for a new dataset `name` of records of `dtype`, read from `source`}
    /// @param chunkRows rows per chunk, if the sink stores in chunks: the conversion's own chunk rows, or
    ///                  fewer for an input estimated to be smaller than a chunk (the conversion
    ///                  decides; the rows appended may be more or fewer all the same)
    DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows) throws IOException;

    /// {@return an appender for a new dataset `name` whose rows have shape `inner`}: none for one
    /// record per row (as [#dataset(String, DType, Path, long)]), `{columns}` for a grid of a plain
    /// dtype, rows × columns. A sink that stores records only keeps this default, which refuses grids.
    default DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows, long[] inner) throws IOException {
        if (inner.length == 0) {
            return dataset(name, dtype, source, chunkRows);
        }
        throw new UnsupportedOperationException(getClass().getSimpleName() + " stores records only, not rows of shape "
                + java.util.Arrays.toString(inner));
    }

    /// {@return the most memory this sink holds while `datasets` datasets of `dtype`, in chunks of
    /// `chunkRows` rows, are being written at a time, besides the records it is given} (buffers of
    /// chunks being compressed, say). A conversion counts it in its memory budget for as many
    /// datasets as workers: no more are being written at a time.
    default long workingBytes(DType dtype, long chunkRows, int datasets) {
        return 0;
    }

    /// As [#workingBytes(DType, long, int)] for rows of shape `inner` (see
    /// [#dataset(String, DType, Path, long, long[])]): by default, as many elements in records.
    default long workingBytes(DType dtype, long chunkRows, int datasets, long[] inner) {
        long elements = chunkRows;
        for (long d : inner) {
            elements = Math.multiplyExact(elements, d);
        }
        return workingBytes(dtype, elements, datasets);
    }

    /// Makes everything written visible at the target, atomically.
    void commit() throws IOException;

    /// Releases the sink; without a [#commit()] nothing of it remains. Idempotent.
    @Override
    void close() throws IOException;
}
