package io.ferry.pipeline;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/// Parses the rows of one part of an input (a whole file or a byte range of one) into memory the
/// caller gives, chunk by chunk. The text loader provides it.
public interface PartReader extends AutoCloseable {

    /// Parses up to `maxRows` rows into `target`; {@return the number parsed, 0 at the end of the part}
    long read(MemorySegment target, long maxRows) throws IOException;

    /// {@return bytes of the input consumed so far, for progress}
    long bytesRead();

    @Override
    void close() throws IOException;

    /// Opens parts of inputs.
    @FunctionalInterface
    interface Factory {
        /// {@return a reader of the rows whose lines start in `[start, end)` of `file`}
        /// @param first whether this is the input's first part (where `skiprows` applies)
        PartReader open(Path file, long start, long end, boolean first) throws IOException;
    }
}
