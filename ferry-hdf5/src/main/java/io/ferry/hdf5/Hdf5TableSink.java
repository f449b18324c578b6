package io.ferry.hdf5;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.pipeline.DatasetAppender;
import io.ferry.pipeline.TableSink;

import java.nio.file.Path;

/// An [Hdf5Sink] as the conversion pipeline's [TableSink]: one dataset per input, the file
/// renamed into place on commit.
///
/// ```java
/// try (Hdf5TableSink sink = Hdf5TableSink.create(Path.of("out.h5"), SinkOptions.DEFAULT);
///      ThreadWorkers workers = new ThreadWorkers(2, TextParts.readers(loader))) {
///     Conversion.builder(loader.dtype(), files, sink, workers).build().run();
///     sink.commit();
/// }
/// ```
public final class Hdf5TableSink implements TableSink {
    private final Hdf5Sink sink;

    private Hdf5TableSink(Hdf5Sink sink) {
        this.sink = sink;
    }

    /// {@return a sink writing to a temporary file beside `target`, renamed there on commit}
    /// @throws TargetExistsException when `target` exists and `options` do not allow overwriting it
    public static Hdf5TableSink create(Path target, SinkOptions options) {
        return new Hdf5TableSink(Hdf5Sink.create(target, options));
    }

    /// {@return the HDF5 sink underneath}, for attributes and the like
    public Hdf5Sink hdf5() {
        return sink;
    }

    /// Chunks of `chunkRows` rows, as the conversion chose them; compression and the rest are this
    /// sink's [SinkOptions].
    @Override
    public DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows) {
        DatasetWriter w = sink.dataset(name, source.toString(), dtype, withChunkRows(chunkRows));
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
                sink.remove(name);
            }
        };
    }

    @Override
    public long workingBytes(DType dtype, long chunkRows, int datasets) {
        return DatasetWriter.workingBytes(withChunkRows(chunkRows), dtype, datasets);
    }

    private SinkOptions withChunkRows(long chunkRows) {
        return sink.options().toBuilder().chunkRows(chunkRows).build();
    }

    @Override
    public void commit() {
        sink.commit();
    }

    @Override
    public void close() {
        sink.close();
    }
}
