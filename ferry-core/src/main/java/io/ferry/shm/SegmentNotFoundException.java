package io.ferry.shm;

/// No segment has the name asked for: it was never created, or it has been unlinked already.
public final class SegmentNotFoundException extends SharedMemoryException {
    SegmentNotFoundException(String message) {
        super(message);
    }
}
