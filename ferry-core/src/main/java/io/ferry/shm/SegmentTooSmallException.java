package io.ferry.shm;

/// A segment is smaller than the caller needs (for an array handle: than its shape times its itemsize).
public final class SegmentTooSmallException extends SharedMemoryException {
    SegmentTooSmallException(String message) {
        super(message);
    }
}
