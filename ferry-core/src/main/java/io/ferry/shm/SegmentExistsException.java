package io.ferry.shm;

/// A segment was to be created under a name that is already taken (creation is exclusive).
public final class SegmentExistsException extends SharedMemoryException {
    SegmentExistsException(String message) {
        super(message);
    }
}
