package io.ferry.shm;

/// A segment name that Ferry refuses before touching the file system: empty, too long, with a `/`,
/// `..`, a NUL or another character outside `[A-Za-z0-9._-]`.
public final class InvalidSegmentNameException extends SharedMemoryException {
    InvalidSegmentNameException(String message) {
        super(message);
    }
}
