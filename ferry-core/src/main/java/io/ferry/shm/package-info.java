/// Named shared memory: segments any process of the same user maps by name (JVMs, and Python's
/// `multiprocessing.shared_memory.SharedMemory`), and arrays in them.
///
/// - [io.ferry.shm.SharedSegment]: create (exclusive, 0600, pages reserved), attach, close, unlink.
/// - [io.ferry.shm.SharedArray] and its JSON [io.ferry.shm.ArrayHandle]: an `NdArray` in a segment.
/// - [io.ferry.shm.Ownership]: who unlinks. [io.ferry.shm.SegmentRegistry]: what this process
///   still owns; closing it names leaks.
/// - [io.ferry.shm.SegmentName]: validation and the `fy<pid>_<random>` scheme (`fy<pid>-<n>_<random>`
///   when another process holds the pid's names); [io.ferry.shm.Sweep]: removes the segments of
///   Ferry processes that are gone, by the one rule every removal follows (`CreatorTags`).
/// - [io.ferry.shm.SharedMemorySpace]: how much room `/dev/shm` has.
///
/// Linux only so far (`/dev/shm`); other systems fail with a clear error.
package io.ferry.shm;
