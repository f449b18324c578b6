package io.ferry.pipeline;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/// The worker's loop over one part, the same in a thread and in a child JVM: lease a slot, parse
/// rows straight into it, hand it over; stop at the end of the part.
public final class PartParsing {
    private PartParsing() {
    }

    /// Parses `part` of `file`. {@return the number of chunks handed over, or -1 when stopped}
    public static int parse(Path file, Part part, PartReader.Factory readers, ChunkSlots slots, long chunkRows,
                            FreeSlots lease, ChunkListener out, LongConsumer bytesProgress, BooleanSupplier stop)
            throws Exception {
        try (PartReader reader = readers.open(file, part.start(), part.end(), part.index() == 0)) {
            int seq = 0;
            long reported = 0;
            while (true) {
                int slot = lease.take(stop);
                if (slot < 0) {
                    return -1;
                }
                long rows;
                try {
                    rows = reader.read(slots.slot(slot), chunkRows);
                } catch (Exception | Error e) {
                    lease.release(slot);
                    throw e;
                }
                long bytes = reader.bytesRead();
                bytesProgress.accept(bytes - reported);
                reported = bytes;
                if (rows == 0) {
                    lease.release(slot);
                    return seq;
                }
                out.chunk(slot, part, seq++, rows);
            }
        }
    }
}
