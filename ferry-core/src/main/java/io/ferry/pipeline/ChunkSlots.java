package io.ferry.pipeline;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/// A fixed pool of equal chunk slots cut from one memory segment: the whole memory a conversion
/// uses for records, whatever the size of its inputs.
///
/// ```text
///  0              slotBytes        2*slotBytes                count*slotBytes
///  +----------------+----------------+-------   ...   -------+----------------+
///  | slot 0         | slot 1         |                       | slot count-1   |
///  | rows × itemsize, packed records from the slot's start; the row count    |
///  | travels in the message that hands the slot over, not in the slot        |
///  +----------------+----------------+-------   ...   -------+----------------+
/// ```
///
/// In process isolation the segment is named shared memory that every worker JVM maps, so a slot
/// a child filled is written by the parent without a copy.
final class ChunkSlots {
    private final MemorySegment memory;
    private final int count;
    private final long slotBytes;

    /// @param memory    at least `count * slotBytes` bytes
    /// @param count     number of slots
    /// @param slotBytes bytes per slot
    ChunkSlots(MemorySegment memory, int count, long slotBytes) {
        this.memory = Objects.requireNonNull(memory, "memory");
        if (count < 1 || slotBytes < 1 || memory.byteSize() < Math.multiplyExact(count, slotBytes)) {
            throw new IllegalArgumentException(count + " slots of " + slotBytes + " bytes do not fit "
                    + memory.byteSize() + " bytes");
        }
        this.count = count;
        this.slotBytes = slotBytes;
    }

    /// {@return the memory of slot `index`}
    MemorySegment slot(int index) {
        return memory.asSlice(Objects.checkIndex(index, count) * slotBytes, slotBytes);
    }

    /// {@return the number of slots}
    int count() {
        return count;
    }

    /// {@return bytes per slot}
    long slotBytes() {
        return slotBytes;
    }
}
