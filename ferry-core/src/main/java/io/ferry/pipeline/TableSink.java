package io.ferry.pipeline;

import io.ferry.dtype.DType;

import java.io.IOException;
import java.nio.file.Path;

/// Where a conversion's records go: one dataset per input, committed all at once.
///
/// The HDF5 file of `ferry-hdf5` is the sink `ferry convert` uses. A sink is used by one writer
/// thread at a time; it need not be thread-safe.
public interface TableSink extends AutoCloseable {

    /// {@return an appender for a new dataset `name` of rows of `dtype`, read from `source`}: one
    /// record per row, or for a plain dtype with `inner` = `{columns}` a grid of rows × columns.
    /// @param chunkRows rows per chunk, if the sink stores in chunks: the conversion's own chunk rows, or
    ///                  fewer for an input estimated to be smaller than a chunk (the conversion
    ///                  decides; the rows appended may be more or fewer all the same)
    /// @param inner     the shape of one row: none for a record, `{columns}` for a grid's row
    DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows, long... inner) throws IOException;

    /// {@return the most memory this sink holds while `datasets` datasets of `dtype` (rows of
    /// shape `inner`, as in [#dataset]), in chunks of `chunkRows` rows, are being written at a time,
    /// besides the rows it is given} (buffers of chunks being compressed, say). A conversion counts
    /// it in its memory budget for as many datasets as workers: no more are being written at a time.
    default long workingBytes(DType dtype, long chunkRows, int datasets, long... inner) {
        return 0;
    }

    /// Makes everything written visible at the target, atomically.
    void commit() throws IOException;

    /// Releases the sink; without a [#commit()] nothing of it remains. Idempotent.
    @Override
    void close() throws IOException;
}
