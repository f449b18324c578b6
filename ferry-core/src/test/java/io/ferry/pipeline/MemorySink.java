package io.ferry.pipeline;

import io.ferry.array.NdArray;
import io.ferry.dtype.DType;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/// A [TableSink] that keeps every dataset's bytes on the heap, for pipeline tests.
class MemorySink implements TableSink {
    final Map<String, ByteArrayOutputStream> data = new LinkedHashMap<>();
    final Map<String, Long> finished = new LinkedHashMap<>();
    boolean committed;
    boolean closed;

    @Override
    public DatasetAppender dataset(String name, DType dtype, Path source, long chunkRows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        data.put(name, out);
        return new DatasetAppender() {
            @Override
            public void append(NdArray rows) {
                out.writeBytes(rows.segment().toArray(ValueLayout.JAVA_BYTE));
            }

            @Override
            public void finish(long totalRows) {
                finished.put(name, totalRows);
            }

            @Override
            public void discard() {
                data.remove(name);
            }
        };
    }

    @Override
    public void commit() {
        committed = true;
    }

    @Override
    public void close() {
        closed = true;
    }
}
