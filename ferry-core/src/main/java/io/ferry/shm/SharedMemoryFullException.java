package io.ferry.shm;

/// There is not enough shared memory (the `/dev/shm` tmpfs) for the segment asked for.
///
/// Raised at create time, because Ferry reserves every page then; the message gives the size asked
/// and the space left, and how to get more.
public final class SharedMemoryFullException extends SharedMemoryException {
    /// What to do about it, as the messages end.
    static final String REMEDY = "free some (ferry shm list / ferry shm clean; an array still mapped, such as one"
            + " ferry.loadtxt gave, holds its memory until it is let go: del it, or .close()) or enlarge it (Docker:"
            + " --shm-size)";

    private final long requested;
    private final long available;

    SharedMemoryFullException(String message, long requested, long available) {
        super(message);
        this.requested = requested;
        this.available = available;
    }

    /// {@return the bytes asked for}
    public long requested() {
        return requested;
    }

    /// {@return the bytes that were free when the request failed}
    public long available() {
        return available;
    }
}
