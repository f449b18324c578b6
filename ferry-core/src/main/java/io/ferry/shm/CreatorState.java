package io.ferry.shm;

/// What a [Sweep] concludes about the process that created a Ferry segment.
public enum CreatorState {
    /// The creator still runs: its segments stay.
    RUNNING,
    /// The creator has exited, or its pid now belongs to a later process: its segments are garbage.
    GONE,
    /// This process cannot tell: the creator was counted in another pid namespace (another
    /// container sharing `/dev/shm`), or its record is another user's or cannot be read. Its
    /// segments stay.
    UNKNOWN
}
