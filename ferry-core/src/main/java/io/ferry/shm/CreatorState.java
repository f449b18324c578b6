package io.ferry.shm;

/// What a [Sweep] concludes about the process that created a Ferry segment.
public enum CreatorState {
    /// The creator still runs: its segments stay.
    RUNNING,
    /// The creator has exited, or its pid now belongs to a later process: its segments are garbage.
    GONE,
    /// The creator was counted in another pid namespace (another container sharing `/dev/shm`):
    /// this process cannot tell, so its segments stay.
    UNKNOWN
}
