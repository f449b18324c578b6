package io.ferry.pipeline;

import io.ferry.array.NdArray;

import java.io.IOException;

/// Appends rows to one dataset of a [TableSink], in order.
public interface DatasetAppender {

    /// Appends `rows` after the rows already appended. The memory of `rows` may be reused as soon
    /// as this returns, so an appender that keeps data must copy it.
    void append(NdArray rows) throws IOException;

    /// Marks the dataset complete with `totalRows` rows (every append has returned).
    void finish(long totalRows) throws IOException;

    /// Removes the dataset: its input failed and the run goes on without it (`--keep-going`).
    void discard() throws IOException;
}
