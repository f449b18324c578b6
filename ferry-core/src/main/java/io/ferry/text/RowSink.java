package io.ferry.text;

import java.io.IOException;

/// Where a [TableReader] puts the rows it has parsed, a block of whole rows at a time: copied
/// into a segment, or written to the file a segment maps ([ParallelLoad.Memory#write]).
@FunctionalInterface
interface RowSink {
    /// Takes `length` bytes of `rows` from its start, whole rows, for byte `at` of the output
    /// (counted from the first row of this read).
    void put(byte[] rows, int length, long at) throws IOException;
}
