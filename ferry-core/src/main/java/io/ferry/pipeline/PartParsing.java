package io.ferry.pipeline;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/// The worker's loop over one part, the same in a thread and in a child JVM: take a free slot,
/// parse rows straight into it, hand it over; stop at the end of the part.
final class PartParsing {
    private PartParsing() {
    }

    /// Parses `part` of `file`. {@return the number of chunks handed over, or -1 when stopped}
    static int parse(Path file, Part part, PartReader.Factory readers, ChunkSlots slots, long chunkRows,
                            FreeSlots free, ChunkListener out, LongConsumer bytesProgress, BooleanSupplier stop)
            throws Exception {
        try (PartReader reader = readers.open(file, part.start(), part.end(), part.index() == 0)) {
            int seq = 0;
            long reported = 0;
            while (true) {
                int slot = free.take(stop);
                if (slot < 0) {
                    return -1;
                }
                long rows;
                try {
                    rows = reader.read(slots.slot(slot), chunkRows);
                } catch (Exception | Error e) {
                    free.release(slot);
                    throw e;
                }
                long bytes = reader.bytesRead();
                bytesProgress.accept(bytes - reported);
                reported = bytes;
                if (rows == 0) {
                    free.release(slot);
                    return seq;
                }
                out.chunk(slot, part, seq++, rows);
            }
        }
    }
}
