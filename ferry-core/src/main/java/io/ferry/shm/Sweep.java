package io.ferry.shm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;

/// Reclaims the segments of Ferry processes that are gone, so that even after `kill -9` of any
/// process of a run, the next run (or `ferry shm clean`) leaves nothing of it in `/dev/shm`.
///
/// A Ferry segment's name carries its creator's pid ([SegmentName]). A segment is removed when that
/// process no longer runs, is a zombie, or is a later process that got the same pid: the creator
/// left a record of its start time beside its segments, and the sweep compares it with
/// `/proc/<pid>/stat`. A creator counted in another pid namespace is left alone, and so is
/// anything not named by Ferry (Python's `psm_…`, other programs') and anything of another user
/// (even when run as root: another user could otherwise forge a record to have it removed).
///
/// A segment's name therefore lives at most as long as its creator: a creator that hands a
/// segment to a consumer stays alive until the consumer has attached (and the consumer unlinks it,
/// or holds it mapped, which keeps the memory whatever happens to the name).
///
/// ```java
/// Sweep.Report r = Sweep.run();
/// for (FerrySegment s : r.removed()) {
///     System.out.println("removed " + s.name() + " of pid " + s.creatorPid());
/// }
/// ```
public final class Sweep {
    private Sweep() {
    }

    /// Removes the segments of every Ferry process that is gone. {@return what was removed}
    public static Report run() {
        return run(pid -> true);
    }

    /// Removes the segments of the gone Ferry processes whose pid `creators` accepts.
    /// {@return what was removed}
    public static Report run(LongPredicate creators) {
        NamedMemory system = NamedMemory.system();
        List<FerrySegment> removed = new ArrayList<>();
        List<FerrySegment> kept = new ArrayList<>();
        Map<Long, CreatorState> judged = new HashMap<>();
        for (FerrySegment s : list(system, judged)) {
            if (!creators.test(s.creatorPid())) {
                continue;
            }
            if (s.creator() == CreatorState.GONE && system.unlink(s.name())) {
                removed.add(s);
            } else if (s.creator() != CreatorState.GONE) {
                kept.add(s);
            }
        }
        List<String> records = new ArrayList<>();
        Path dir = system.directory();
        for (NamedMemory.Entry e : system.list()) {
            Matcher m = CreatorRecord.FILE_NAME.matcher(e.name());
            if (!m.matches() || !e.ownedByThisUser()) {
                continue;
            }
            long pid = Long.parseLong(m.group(1), 36);
            if (creators.test(pid)
                    && judged.computeIfAbsent(pid, p -> CreatorRecord.judge(dir, p)) == CreatorState.GONE
                    && system.unlink(e.name())) {
                records.add(e.name());
            }
        }
        return new Report(List.copyOf(removed), List.copyOf(kept), List.copyOf(records));
    }

    /// {@return every Ferry segment of this user in `/dev/shm`, with whether its creator still runs}
    public static List<FerrySegment> list() {
        return list(NamedMemory.system(), new HashMap<>());
    }

    private static List<FerrySegment> list(NamedMemory system, Map<Long, CreatorState> judged) {
        Path dir = system.directory();
        List<FerrySegment> out = new ArrayList<>();
        for (NamedMemory.Entry e : system.list()) {
            OptionalLong pid = SegmentName.creatorPid(e.name());
            if (pid.isEmpty() || !e.ownedByThisUser()) {
                continue;
            }
            CreatorState state = judged.computeIfAbsent(pid.getAsLong(), p -> CreatorRecord.judge(dir, p));
            out.add(new FerrySegment(e.name(), e.byteSize(), pid.getAsLong(), state, e.modified()));
        }
        return out;
    }

    /// What a sweep did.
    ///
    /// @param removed        the segments removed, their creators being gone
    /// @param kept           the Ferry segments left, their creators running (or unknown)
    /// @param creatorRecords the creator records removed with them (`fy<pid>.pid`)
    public record Report(List<FerrySegment> removed, List<FerrySegment> kept, List<String> creatorRecords) {
        /// {@return the bytes given back}
        public long bytesFreed() {
            return removed.stream().mapToLong(FerrySegment::byteSize).sum();
        }
    }
}
