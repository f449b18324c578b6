package io.ferry.convert;

/// Where a conversion's workers parse: `ferry convert --isolation`.
public enum Isolation {
    /// Threads of this JVM: the fastest start and the smallest footprint.
    THREAD,
    /// Child JVMs writing into the same shared-memory slots: a worker that crashes fails its
    /// input, not the process that runs the conversion.
    PROCESS
}
