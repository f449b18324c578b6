package io.ferry.shm;

import java.util.List;

/// A [SegmentRegistry] was closed while segments it owns were never released (unlinked or
/// disowned). The registry has unlinked them by then; the message names them.
public final class SegmentLeakException extends SharedMemoryException {
    private final List<String> names;

    SegmentLeakException(String message, List<String> names) {
        super(message);
        this.names = List.copyOf(names);
    }

    /// {@return the names of the segments that were never released}
    public List<String> names() {
        return names;
    }
}
