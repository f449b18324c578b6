package io.ferry.shm;

/// A shared-array handle that cannot be used: not JSON, a key missing or unknown, a bad name, a
/// negative or overflowing shape, a dtype numpy would not read. The message says which.
public final class InvalidHandleException extends SharedMemoryException {
    InvalidHandleException(String message) {
        super(message);
    }

    InvalidHandleException(String message, Throwable cause) {
        super(message, cause);
    }
}
