package io.ferry.spark;

import io.ferry.array.NdArray;
import io.ferry.convert.TextParts;
import io.ferry.dtype.DType;
import io.ferry.hdf5.Compression;
import io.ferry.hdf5.DatasetWriter;
import io.ferry.hdf5.Hdf5Writer;
import io.ferry.hdf5.WriteOptions;
import io.ferry.json.Json;
import io.ferry.pipeline.PartReader;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/// Converts one part on an executor: the loader over its byte range, straight into native memory,
/// appended chunk by chunk to a part file of its own, written atomically like any Ferry output.
final class PartWriter {
    private PartWriter() {
    }

    /// Writes `task`'s part into a file named for its input, part and `attempt` (so two attempts
    /// of one part never write the same file). {@return where it went and its rows}
    static PartDone write(PartTask task, long attempt) throws IOException {
        DType dtype = DType.parse(task.dtypeJson());
        PartReader.Factory readers = new TextParts().readers(Json.parse(task.loaderJson()));
        Path out = Path.of(task.partsDir(), "in" + task.input() + "-part" + task.part() + "-attempt" + attempt + ".h5");
        WriteOptions options = WriteOptions.builder()
                .compression(Compression.parse(task.compression()))
                .shuffle(task.shuffle()).chunkRows(task.chunkRows()).build();
        long rowBytes = dtype.itemSize();
        long chunkRows = options.rowsPerChunk(rowBytes);
        long rows = 0;
        try (PartReader reader = readers.open(Path.of(task.file()), task.start(), task.end(), task.part() == 0);
             Arena arena = Arena.ofConfined();
             Hdf5Writer file = Hdf5Writer.create(out, options)) {
            DatasetWriter writer = file.dataset(task.dataset(), task.file(), dtype);
            MemorySegment chunk = arena.allocate(chunkRows * rowBytes, 64);
            for (long n; (n = reader.read(chunk, chunkRows)) > 0; ) {
                writer.append(NdArray.wrap(dtype, chunk.asSlice(0, n * rowBytes), n));
                rows += n;
            }
            file.commit();
        }
        return new PartDone(task.input(), task.part(), out.toString(), rows);
    }
}
