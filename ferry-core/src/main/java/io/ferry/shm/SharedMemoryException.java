package io.ferry.shm;

import io.ferry.FerryException;

/// Named shared memory could not be created, attached, listed or removed.
///
/// The subclasses say what went wrong ([SegmentNotFoundException], [SegmentTooSmallException], ...);
/// this class itself covers the rest (an I/O error of the system, an unsupported platform).
/// Every message names the segment concerned.
public class SharedMemoryException extends FerryException {
    public SharedMemoryException(String message) {
        super(message);
    }

    public SharedMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
