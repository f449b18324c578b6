package io.ferry.convert;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;
import io.ferry.file.StandardInput;
import io.ferry.hdf5.DatasetWriter;
import io.ferry.hdf5.Hdf5Exception;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.pipeline.DatasetAppender;
import io.ferry.pipeline.TableSink;

import java.nio.file.Path;

/// An [Hdf5Writer] as the conversion pipeline's [TableSink]: one dataset per input, the file
/// renamed into place on commit. Here, where the pipeline and HDF5 meet, so that `io.ferry.hdf5`
/// stays an HDF5 library that knows no pipeline.
///
/// ```java
/// try (Hdf5TableSink sink = Hdf5TableSink.create(Path.of("out.h5"), WriteOptions.DEFAULT);
///      ThreadWorkers workers = new ThreadWorkers(2, TextParts.readers(loader))) {
///     Pipeline.builder(loader.dtype(), files, sink, workers).format(TextParts.FORMAT).build().run();
///     sink.commit();
/// }
/// ```
public final class Hdf5TableSink implements TableSink {
    private final Hdf5Writer writer;
    /// Whether this adds to an existing file, which a failure leaves as it was: its errors say so
    private final boolean appending;

    private Hdf5TableSink(Hdf5Writer writer, boolean appending) {
        this.writer = writer;
        this.appending = appending;
    }

    /// {@return a sink writing to a temporary file beside `target`, renamed there on commit}
    /// @throws io.ferry.hdf5.TargetExistsException when `target` exists and `options` do not allow overwriting it
    public static Hdf5TableSink create(Path target, WriteOptions options) {
        return new Hdf5TableSink(Hdf5Writer.create(target, options), false);
    }

    /// {@return a sink adding datasets to the existing HDF5 file `target`}, through a copy renamed
    /// over it on commit (see [Hdf5Writer#append])
    public static Hdf5TableSink append(Path target, WriteOptions options) {
        return new Hdf5TableSink(Hdf5Writer.append(target, options), true);
    }

    /// {@return the HDF5 writer underneath}, for attributes and the like
    public Hdf5Writer hdf5() {
        return writer;
    }

    /// Chunks of `chunkRows` rows, as the conversion chose them; compression and the rest are this
    /// writer's [WriteOptions]. A grid (a plain dtype, `inner` = `{columns}`) is a 2-D dataset
    /// chunked along its rows, every chunk whole rows.
    @Override
    public DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows) {
        return dataset(name, dtype, source, chunkRows, new long[0]);
    }

    @Override
    public DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows, long[] inner) {
        DatasetWriter w = writer.dataset(name, source.toString(), dtype, withChunkRows(chunkRows), inner);
        String rowsOf = (StandardInput.is(source) ? StandardInput.DESCRIPTION : source.toString()) + "'s rows";   // not "-'s rows"
        return new DatasetAppender() {
            @Override
            public void append(NdArray rows) {
                try {
                    w.append(rows);
                } catch (Hdf5Exception e) {
                    throw outOfSpace(e, rowsOf);
                }
            }

            @Override
            public void finish(long totalRows) {
                if (w.rows() != totalRows) {
                    throw new IllegalStateException("dataset " + name + " has " + w.rows() + " rows, the pipeline counted "
                            + totalRows);
                }
                try {
                    w.finish(); // its buffers go now, not at commit: memory stays bounded with many inputs
                } catch (Hdf5Exception e) {
                    throw outOfSpace(e, rowsOf);
                }
            }

            @Override
            public void discard() {
                writer.remove(name);
            }
        };
    }

    @Override
    public long workingBytes(DType dtype, long chunkRows, int datasets) {
        return workingBytes(writer.options(), dtype, chunkRows, datasets);
    }

    @Override
    public long workingBytes(DType dtype, long chunkRows, int datasets, long[] inner) {
        return workingBytes(writer.options(), dtype, chunkRows, datasets, inner);
    }

    /// {@return what a sink with `options` holds while `datasets` datasets are written at once}, as
    /// [#workingBytes(DType, long, int, long[])] says, before any sink is created (for a dry run)
    public static long workingBytes(WriteOptions options, DType dtype, long chunkRows, int datasets, long... inner) {
        return DatasetWriter.workingBytes(options.toBuilder().chunkRows(chunkRows).build(), dtype, datasets, inner);
    }

    private WriteOptions withChunkRows(long chunkRows) {
        return writer.options().toBuilder().chunkRows(chunkRows).build();
    }

    @Override
    public void commit() {
        try {
            writer.commit();
        } catch (Hdf5Exception e) {
            throw outOfSpace(e, "the file's last metadata");
        }
    }

    private Hdf5Exception outOfSpace(Hdf5Exception e, String writing) {
        return Hdf5Exception.outOfRoom(writer.target(), e, writing, appending);
    }

    @Override
    public void close() {
        writer.close();
    }
}
