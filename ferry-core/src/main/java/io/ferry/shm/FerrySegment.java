package io.ferry.shm;

import java.time.Instant;

/// A segment Ferry made (its name follows [SegmentName]'s scheme), as found in `/dev/shm`.
///
/// @param name       the segment name
/// @param byteSize   its size
/// @param creatorPid the pid of the process that created it, from the name
/// @param creator    whether that process still runs
/// @param modified   when it was last written through a file call (creation, usually)
public record FerrySegment(String name, long byteSize, long creatorPid, CreatorState creator, Instant modified) {
}
