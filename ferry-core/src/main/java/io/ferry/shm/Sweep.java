package io.ferry.shm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/// Reclaims the segments of Ferry processes that are gone, so that even after `kill -9` of any
/// process of a run, the next run (or `ferry shm clean`) leaves nothing of it in `/dev/shm`.
///
/// A Ferry segment's name carries its creator's tag ([SegmentName]): its pid, and a
/// variant when another process held that pid's tag. A segment is removed when its creator no
/// longer runs, is a zombie, or is a later process that got the same pid: the creator left a record
/// of its start time and pid namespace beside its segments, and the sweep compares it with
/// `/proc/<pid>/stat`. The rules (`CreatorTags`) are the same for every path that removes names:
/// only Ferry's names (not Python's `psm_…`, nor other programs'), only this user's (even when run
/// as root: another user could otherwise forge a record to have it removed), and only when the
/// creator is gone; a creator counted in another pid namespace, or whose record is another user's
/// or cannot be read, cannot be judged here, and its segments stay.
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
    /// How old a creator record's draft must be to be swept: far longer than publishing takes.
    static final java.time.Duration DRAFT_LIFE = java.time.Duration.ofMinutes(1);

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
        Map<CreatorTag, CreatorState> judged = new HashMap<>();
        // Listed before judged: a segment in the list existed when its tag's record was read, so a
        // new holder of the tag, which publishes its record before its first segment, is judged as such.
        for (Listed l : list(system, judged)) {
            if (!creators.test(l.segment().creatorPid())) {
                continue;
            }
            if (l.segment().creator() != CreatorState.GONE) {
                kept.add(l.segment());
            } else if (system.unlink(l.file())) {
                removed.add(l.segment());
            }
        }
        // A record stays while segments of its tag remain (made after the list above, or not
        // removable): they are judged by it, and a later sweep removes them first.
        List<NamedMemory.Entry> now = system.list();
        Set<CreatorTag> withSegments = tagsWithSegments(now);
        List<String> records = new ArrayList<>();
        for (NamedMemory.Entry e : now) {
            Optional<CreatorTag> tag = CreatorTags.ownRecord(e);
            if (tag.isPresent() && creators.test(tag.get().pid()) && !withSegments.contains(tag.get())
                    && CreatorTags.removeRecordIfGone(system, tag.get())) {
                records.add(e.name());
            }
        }
        // A record's draft lives microseconds (CreatorRecord.publish): one a minute old was left by a
        // publisher killed between writing and removing it, and is no process's.
        java.time.Instant old = java.time.Instant.now().minus(DRAFT_LIFE);
        for (NamedMemory.Entry e : now) {
            Optional<CreatorTag> tag = CreatorTags.ownDraft(e);
            if (tag.isPresent() && creators.test(tag.get().pid()) && e.modified().isBefore(old) && system.unlink(e)) {
                records.add(e.name());
            }
        }
        return new Report(List.copyOf(removed), List.copyOf(kept), List.copyOf(records));
    }

    /// {@return every Ferry segment of this user in `/dev/shm`, with whether its creator still runs}
    public static List<FerrySegment> list() {
        return list(NamedMemory.system(), new HashMap<>()).stream().map(Listed::segment).toList();
    }

    /// {@return the pids of the exited processes whose creator records (this user's) are left in
    /// `/dev/shm` without a segment}: what a process ended by a signal it could not clean up after
    /// leaves (a `multiprocessing` worker ended by SIGTERM), which [#run()] removes. A listing of
    /// segments alone said "no Ferry segments" over them.
    public static List<Long> leftRecords() {
        NamedMemory system = NamedMemory.system();
        List<NamedMemory.Entry> now = system.list();
        Set<CreatorTag> withSegments = tagsWithSegments(now);
        List<Long> pids = new ArrayList<>();
        for (NamedMemory.Entry e : now) {
            CreatorTags.ownRecord(e).filter(t -> !withSegments.contains(t))
                    .filter(t -> CreatorTags.creator(system.directory(), t) == CreatorState.GONE)
                    .ifPresent(t -> pids.add(t.pid()));
        }
        return List.copyOf(pids);
    }

    /// {@return the tags of this user's segments among `entries`}: a record of one of them stays
    private static Set<CreatorTag> tagsWithSegments(List<NamedMemory.Entry> entries) {
        Set<CreatorTag> tags = new HashSet<>();
        entries.forEach(e -> CreatorTags.ownSegment(e).ifPresent(tags::add));
        return tags;
    }

    private record Listed(FerrySegment segment, NamedMemory.Entry file) {
    }

    private static List<Listed> list(NamedMemory system, Map<CreatorTag, CreatorState> judged) {
        Path dir = system.directory();
        List<NamedMemory.Entry> entries = system.list();
        List<Listed> out = new ArrayList<>();
        for (NamedMemory.Entry e : entries) {
            Optional<CreatorTag> tag = CreatorTags.ownSegment(e);
            if (tag.isEmpty()) {
                continue;
            }
            CreatorState state = judged.computeIfAbsent(tag.get(), t -> CreatorTags.creator(dir, t));
            out.add(new Listed(new FerrySegment(e.name(), e.byteSize(), tag.get().pid(), state, e.modified()), e));
        }
        return out;
    }

    /// What a sweep did.
    ///
    /// @param removed        the segments removed, their creators being gone
    /// @param kept           the Ferry segments left, their creators running or not to be judged here
    /// @param creatorRecords the creator records removed with them (`fy<tag>.pid`), and the drafts
    ///                       of records left by a process killed while it published one
    public record Report(List<FerrySegment> removed, List<FerrySegment> kept, List<String> creatorRecords) {
        /// {@return the bytes given back}
        public long bytesFreed() {
            return removed.stream().mapToLong(FerrySegment::byteSize).sum();
        }
    }
}
