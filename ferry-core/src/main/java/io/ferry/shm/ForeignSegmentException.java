package io.ferry.shm;

/// A segment belongs to another user, or is not a plain shared-memory object (a symlink, a directory).
///
/// Ferry attaches only its own user's segments: anyone may create a name in `/dev/shm`, so a
/// name taken from a handle could otherwise map memory an attacker controls.
public final class ForeignSegmentException extends SharedMemoryException {
    ForeignSegmentException(String message) {
        super(message);
    }
}
