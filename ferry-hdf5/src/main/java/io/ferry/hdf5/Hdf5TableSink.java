package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.pipeline.DatasetAppender;
import io.ferry.pipeline.TableSink;

import java.nio.file.Path;

/// An [Hdf5Writer] as the conversion pipeline's [TableSink]: one dataset per input, the file
/// renamed into place on commit.
///
/// ```java
/// try (Hdf5TableSink sink = Hdf5TableSink.create(Path.of("out.h5"), WriteOptions.DEFAULT);
///      ThreadWorkers workers = new ThreadWorkers(2, TextParts.readers(loader))) {
///     Conversion.builder(loader.dtype(), files, sink, workers).build().run();
///     sink.commit();
/// }
/// ```
public final class Hdf5TableSink implements TableSink {
    private final Hdf5Writer writer;

    private Hdf5TableSink(Hdf5Writer writer) {
        this.writer = writer;
    }

    /// {@return a sink writing to a temporary file beside `target`, renamed there on commit}
    /// @throws TargetExistsException when `target` exists and `options` do not allow overwriting it
    public static Hdf5TableSink create(Path target, WriteOptions options) {
        return new Hdf5TableSink(Hdf5Writer.create(target, options));
    }

    /// {@return the HDF5 writer underneath}, for attributes and the like
    public Hdf5Writer hdf5() {
        return writer;
    }

    @Override
    public DatasetAppender dataset(String name, DType dtype, Path source) {
        return dataset(name, dtype, source, -1);
    }

    /// Chunks no larger than the dataset is likely to be: a small input in a file of 1 MiB chunks
    /// would take a whole chunk on disk (the estimate is raised by a quarter, as it is one).
    @Override
    public DatasetAppender dataset(String name, DType dtype, Path source, long expectedRows) {
        WriteOptions o = writer.options();
        long rows = o.rowsPerChunk(dtype.itemSize());
        long likely = expectedRows > 0 ? expectedRows + expectedRows / 4 + 1 : Long.MAX_VALUE;
        WriteOptions chosen = likely < rows ? o.toBuilder().chunkRows(likely).build() : o;
        DatasetWriter w = writer.dataset(name, source.toString(), dtype, chosen);
        return new DatasetAppender() {
            @Override
            public void append(NdArray rows) {
                w.append(rows);
            }

            @Override
            public void finish(long totalRows) {
                if (w.rows() != totalRows) {
                    throw new IllegalStateException("dataset " + name + " has " + w.rows() + " rows, the pipeline counted "
                            + totalRows);
                }
                w.finish(); // its buffers go now, not at commit: memory stays bounded with many inputs
            }

            @Override
            public void discard() {
                writer.remove(name);
            }
        };
    }

    @Override
    public long workingBytes(DType dtype, int datasets) {
        return DatasetWriter.workingBytes(writer.options(), dtype, datasets);
    }

    @Override
    public void commit() {
        writer.commit();
    }

    @Override
    public void close() {
        writer.close();
    }
}
